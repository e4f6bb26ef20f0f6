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

    /// The analysis and the events announcing it, encoded before the transaction (on SQLite's one writer, every
    /// microsecond spent in a transaction is one nobody else can use).
    struct Prepared: PreparedAnalysis {
        let usage: [ModelUsage]
        let analyzed: EncodedPayload<AnswerAnalyzedDeep>
        let extracted: EncodedPayload<TraitExtracted>?

        func announce(for user: UserID, in context: HandlerContext) {
            context.emit(analyzed, for: user)
            if let extracted { context.emit(extracted, for: user) }
        }
    }

    public func prepare(_ event: EventEnvelope, store: any Database) async throws -> (any Sendable)? {
        // An unknown question is left to `handle`, which logs it once.
        guard event.type == .answerSubmitted, try AnswerTask(event, bank: bank).question != nil else { return nil }
        return try await analyze(event)
    }

    /// What the analyses' model calls cost the person: the only thing this group keeps about them.
    public var personalTables: [PersonalTable] { [.modelUsage(of: .deepAnalysis)] }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        try await handle(batch: [(event, context)])
    }

    public func handle(batch: [BatchItem]) async throws {
        try await announceAnalyses(of: batch, analyze: analyze)
    }

    /// Nil when the bank no longer has the question (content changed): there is nothing to score it against.
    private func analyze(_ event: EventEnvelope) async throws -> Prepared? {
        let answer = try event.decode(AnswerSubmitted.self)
        let task = try AnswerTask(event, bank: bank)
        guard task.question != nil else {
            logger.warning("answer to unknown question", metadata: ["question_id": "\(answer.questionID)"])
            return nil
        }
        let judged = await intelligence.deepAnalysis(task)
        let analysis = judged.value
        return Prepared(
            usage: judged.usage,
            analyzed: try EncodedPayload(
                AnswerAnalyzedDeep(
                    sessionID: answer.sessionID, questionID: answer.questionID, language: answer.language,
                    analysis: analysis)),
            extracted: analysis.evidence.isEmpty
                ? nil
                : try EncodedPayload(
                    TraitExtracted(
                        sessionID: answer.sessionID, questionID: answer.questionID, evidence: analysis.evidence)))
    }
}
