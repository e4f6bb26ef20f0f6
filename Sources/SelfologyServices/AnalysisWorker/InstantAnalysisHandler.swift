import Foundation
import SelfologyCore

/// Service 3, phase 1: instant feedback on an answer. Runs in its own consumer group so that it never waits
/// behind deep analysis. The model call happens in `prepare`, outside the transaction; the router keeps it within
/// the instant budget and answers from the local tier when a model is late. Beside it, a model's second opinion
/// on danger in every free-text answer (`CrisisCheck`), which the gateway acts on; the coach checks chat messages.
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
        let suspected: SafetyCrisisSuspected?

        /// Danger first: the gateway then knows, when the feedback arrives, that this answer is met with care
        /// instead. The analysis is still announced, as Smart Mix counts the answer from it.
        func announce(for user: UserID, in context: HandlerContext) throws {
            if let suspected { try context.emit(suspected, for: user) }
            context.emit(analyzed, for: user)
        }
    }

    public func prepare(_ event: EventEnvelope, store: any Database) async throws -> (any Sendable)? {
        try await analyze(event)
    }

    /// What the analyses' and checks' model calls cost the person: the only thing this group keeps about them.
    public var personalTables: [PersonalTable] { [.modelUsage(of: .instantAnalysis), .modelUsage(of: .crisisCheck)] }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        try await handle(batch: [(event, context)])
    }

    public func handle(batch: [BatchItem]) async throws {
        try await announceAnalyses(of: batch, analyze: analyze)
    }

    private func analyze(_ event: EventEnvelope) async throws -> Prepared? {
        guard event.type == .answerSubmitted else { return nil }
        let answer = try event.decode(AnswerSubmitted.self)
        // A 1-5 answer has no words to read.
        let text = answer.scaleValue == nil ? answer.text : nil
        async let checked = intelligence.dangerReading(
            of: text.map { CrisisCheckTask(userID: event.userID, text: $0, language: answer.language, source: .answer) }
        )
        let judged = await intelligence.instantAnalysis(try AnswerTask(event, bank: bank))
        let (suspected, checkUsage) = await checked
        return Prepared(
            usage: judged.usage + checkUsage,
            analyzed: try EncodedPayload(
                AnswerAnalyzedInstant(
                    sessionID: answer.sessionID, questionID: answer.questionID, language: answer.language,
                    analysis: judged.value)),
            suspected: suspected)
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
