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

    /// The analysis and the event announcing it, encoded before the transaction (on SQLite's one writer, every
    /// microsecond spent in a transaction is one nobody else can use).
    struct Prepared: PreparedAnalysis {
        let usage: [ModelUsage]
        let analyzed: EncodedPayload<AnswerAnalyzedInstant>

        func announce(for user: UserID, in context: HandlerContext) { context.emit(analyzed, for: user) }
    }

    public func prepare(_ event: EventEnvelope, store: any Database) async throws -> (any Sendable)? {
        guard event.type == .answerSubmitted else { return nil }
        return try await analyze(event)
    }

    /// What the analyses' model calls cost the person: the only thing this group keeps about them.
    public var personalTables: [PersonalTable] { [.modelUsage(of: .instantAnalysis)] }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        try await handle(batch: [(event, context)])
    }

    public func handle(batch: [BatchItem]) async throws {
        try await announceAnalyses(of: batch, analyze: analyze)
    }

    private func analyze(_ event: EventEnvelope) async throws -> Prepared {
        let answer = try event.decode(AnswerSubmitted.self)
        let judged = await intelligence.instantAnalysis(try AnswerTask(event, bank: bank))
        return Prepared(
            usage: judged.usage,
            analyzed: try EncodedPayload(
                AnswerAnalyzedInstant(
                    sessionID: answer.sessionID, questionID: answer.questionID, language: answer.language,
                    analysis: judged.value)))
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
