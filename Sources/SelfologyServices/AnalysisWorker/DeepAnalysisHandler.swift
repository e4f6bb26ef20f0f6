import Foundation
import Logging
import SelfologyCore

/// Service 3, phase 2: trait extraction in the background, in a consumer group of its own. The model call
/// happens in `prepare`, outside the transaction, so a slow model never holds the store.
public struct DeepAnalysisHandler: EventHandler {
    public let group = ConsumerGroup.analysisDeep
    public let preparesOutsideTransaction = true
    let bank: QuestionBank
    let intelligence: any Intelligence
    let logger: Logger

    public init(bank: QuestionBank, intelligence: any Intelligence, logger: Logger) {
        self.bank = bank
        self.intelligence = intelligence
        self.logger = logger
    }

    public func prepare(_ event: EventEnvelope, store: any Database) async throws -> (any Sendable)? {
        guard event.type == .answerSubmitted else { return nil }
        let task = try AnswerTask(event, bank: bank)
        guard task.question != nil else { return nil }
        return await intelligence.deepAnalysis(task)
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        guard event.type == .answerSubmitted else { return }
        let answer = try event.decode(AnswerSubmitted.self)
        let task = try AnswerTask(event, bank: bank)
        guard task.question != nil else {
            // The bank no longer has this question (content changed); there is nothing to score it against.
            logger.warning("answer to unknown question", metadata: ["question_id": "\(answer.questionID)"])
            return
        }
        var judged = context.prepared as? Judged<DeepAnalysis>
        if judged == nil { judged = await intelligence.deepAnalysis(task) }
        guard let judged else { return }
        try await UsageStore.record(judged.usage, user: event.userID, now: context.now, in: context.db)
        let analysis = judged.value
        try context.emit(
            AnswerAnalyzedDeep(
                sessionID: answer.sessionID, questionID: answer.questionID, language: answer.language,
                analysis: analysis),
            for: event.userID)
        if !analysis.evidence.isEmpty {
            try context.emit(
                TraitExtracted(sessionID: answer.sessionID, questionID: answer.questionID, evidence: analysis.evidence),
                for: event.userID)
        }
    }
}
