import Foundation
import SelfologyCore

/// Service 3, phase 1: instant feedback on an answer. Runs in its own consumer group so that it never waits
/// behind deep analysis. The model call happens in `prepare`, outside the transaction; the router keeps it within
/// the instant budget and answers from the local tier when a model is late.
public struct InstantAnalysisHandler: EventHandler {
    public let group = ConsumerGroup.analysisInstant
    public let preparesOutsideTransaction = true
    let bank: QuestionBank
    let intelligence: any Intelligence

    public init(bank: QuestionBank, intelligence: any Intelligence) {
        self.bank = bank
        self.intelligence = intelligence
    }

    public func prepare(_ event: EventEnvelope, store: any Database) async throws -> (any Sendable)? {
        guard event.type == .answerSubmitted else { return nil }
        return await intelligence.instantAnalysis(try AnswerTask(event, bank: bank))
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        guard event.type == .answerSubmitted else { return }
        let answer = try event.decode(AnswerSubmitted.self)
        // Prepared outside the transaction as a rule; computed here only when a caller skipped `prepare`.
        var judged = context.prepared as? Judged<InstantAnalysis>
        if judged == nil { judged = await intelligence.instantAnalysis(try AnswerTask(event, bank: bank)) }
        guard let judged else { return }
        try await UsageStore.record(judged.usage, user: event.userID, now: context.now, in: context.db)
        try context.emit(
            AnswerAnalyzedInstant(
                sessionID: answer.sessionID, questionID: answer.questionID, language: answer.language,
                analysis: judged.value),
            for: event.userID)
    }
}

extension AnswerTask {
    init(_ event: EventEnvelope, bank: QuestionBank) throws {
        let answer = try event.decode(AnswerSubmitted.self)
        self.init(
            userID: event.userID, answer: answer.text, scaleValue: answer.scaleValue, question: bank[answer.questionID],
            language: answer.language)
    }
}
