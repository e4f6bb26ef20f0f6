import Foundation
import SelfologyCore

/// Service 3, phase 1: instant feedback on an answer. Runs in its own consumer group so that it never waits
/// behind deep analysis. The model call happens in `prepare`, outside the transaction; the router keeps it within
/// the instant budget and answers from the local tier when a model is late. Beside it, a model's second opinion
/// on danger in every free-text answer and chat message (`CrisisCheck`), which the gateway acts on.
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
        /// Nil for a chat message, which gets no feedback.
        let analyzed: EncodedPayload<AnswerAnalyzedInstant>?
        let suspected: SafetyCrisisSuspected?

        func announce(for user: UserID, in context: HandlerContext) throws {
            if let analyzed { context.emit(analyzed, for: user) }
            if let suspected { try context.emit(suspected, for: user) }
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
        switch event.type {
        case .answerSubmitted:
            let answer = try event.decode(AnswerSubmitted.self)
            // A 1-5 answer has no words to read.
            let text = answer.scaleValue == nil ? answer.text : nil
            async let checked = check(text, of: event.userID, language: answer.language, source: .answer)
            let judged = await intelligence.instantAnalysis(try AnswerTask(event, bank: bank))
            let (suspected, checkUsage) = await checked
            return Prepared(
                usage: judged.usage + checkUsage,
                analyzed: try EncodedPayload(
                    AnswerAnalyzedInstant(
                        sessionID: answer.sessionID, questionID: answer.questionID, language: answer.language,
                        analysis: judged.value)),
                suspected: suspected)
        case .messageReceived:
            let message = try event.decode(MessageReceived.self)
            let (suspected, usage) = await check(
                message.text, of: event.userID, language: message.language, source: .message)
            return Prepared(usage: usage, analyzed: nil, suspected: suspected)
        default:
            return nil
        }
    }

    private func check(
        _ text: String?, of user: UserID, language: Language, source: SafetyCrisisDetected.Source
    ) async -> (SafetyCrisisSuspected?, [ModelUsage]) {
        guard let text else { return (nil, []) }
        let judged = await intelligence.crisisCheck(CrisisCheckTask(userID: user, text: text, language: language))
        guard judged.value.inDanger else { return (nil, judged.usage) }
        return (SafetyCrisisSuspected(categories: judged.value.found, source: source), judged.usage)
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
