import Foundation
import SelfologyCore

/// Service 1: picks each next question with Smart Mix, right after the previous answer's instant analysis
/// (never waiting for deep analysis), offers a break when the person tires, and remembers every question shown
/// so none is ever repeated.
public struct QuestionSelectionHandler: EventHandler {
    public let group = ConsumerGroup.questionSelection
    let smartMix: SmartMix
    /// Mixed with the session id and position, so a path is reproducible for a given seed and history.
    let seed: UInt64

    public init(bank: QuestionBank, seed: UInt64) {
        smartMix = SmartMix(bank: bank)
        self.seed = seed
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        let user = event.userID
        let db = context.db
        switch event.type {
        case .sessionCreated, .sessionResumed:
            let started =
                event.type == .sessionCreated
                ? try event.decode(SessionCreated.self).session : try event.decode(SessionResumed.self).session
            var session =
                try await SelectionStore.session(started.sessionID, in: db)
                ?? SelectionSession(
                    sessionID: started.sessionID, userID: user, targetAnswers: started.targetAnswers,
                    answeredCount: started.answersSoFar, status: .active, pendingQuestionID: nil, breakOffers: 0,
                    lastBreakOfferAt: nil)
            session.status = .active
            if let pending = session.pendingQuestionID, let question = smartMix.bank[pending] {
                // Resuming: show the question that was waiting, not a new one.
                try emitSelected(
                    question, strategy: .forAnswers(session.answeredCount), session: session, isRepeat: true,
                    context: context)
            } else {
                try await selectNext(&session, context: context)
            }
            try await SelectionStore.save(session, in: db)

        case .answerAnalyzedInstant:
            let analyzed = try event.decode(AnswerAnalyzedInstant.self)
            guard var session = try await SelectionStore.session(analyzed.sessionID, in: db) else { return }
            // Read once: the answer is recorded on these rows, and the next question is chosen from them.
            var asked = try await SelectionStore.asked(by: user, in: db)
            guard
                try await SelectionStore.recordAnswer(
                    analyzed.questionID, user: user, analysis: analyzed.analysis, answeredAt: event.occurredAt,
                    asked: &asked, in: db)
            else { return }
            session.answeredCount += 1
            if session.pendingQuestionID == analyzed.questionID { session.pendingQuestionID = nil }
            if session.status == .active && session.answeredCount < session.targetAnswers {
                try await selectNext(&session, asked: asked, context: context)
            }
            try await SelectionStore.save(session, in: db)

        case .questionSkipped:
            let skipped = try event.decode(QuestionSkipped.self)
            guard var session = try await SelectionStore.session(skipped.sessionID, in: db),
                try await SelectionStore.recordSkip(skipped.questionID, user: user, in: db)
            else { return }
            if session.pendingQuestionID == skipped.questionID { session.pendingQuestionID = nil }
            if session.status == .active { try await selectNext(&session, context: context) }
            try await SelectionStore.save(session, in: db)

        case .sessionPaused, .sessionTimedOut, .sessionCompleted:
            let stopped: SessionStopped =
                switch event.type {
                case .sessionPaused: try event.decode(SessionPaused.self).session
                case .sessionTimedOut: try event.decode(SessionTimedOut.self).session
                default: try event.decode(SessionCompleted.self).session
                }
            guard var session = try await SelectionStore.session(stopped.sessionID, in: db) else { return }
            session.status = event.type == .sessionCompleted ? .completed : .paused
            // A question that was open when the person showed signs of crisis is not put to them again.
            if stopped.reason == .safety, let pending = session.pendingQuestionID {
                _ = try await SelectionStore.recordSkip(pending, user: user, in: db)
                session.pendingQuestionID = nil
            }
            if session.status == .completed { session.pendingQuestionID = nil }
            try await SelectionStore.save(session, in: db)

        default:
            return
        }
    }

    /// `asked`: the person's rows, if the caller has read them in this transaction already.
    private func selectNext(_ session: inout SelectionSession, asked: [AskedRow]? = nil, context: HandlerContext)
        async throws
    {
        let asked =
            if let asked { asked } else { try await SelectionStore.asked(by: session.userID, in: context.db) }
        let current = session.sessionID
        let inSession = asked.filter { $0.sessionID == current }.sorted { $0.ordinal < $1.ordinal }
        let history = SelectionHistory(
            session: inSession.map(\.question), earlier: asked.filter { $0.sessionID != current }.map(\.question),
            targetAnswers: session.targetAnswers, breakOffers: session.breakOffers,
            lastBreakOfferAt: session.lastBreakOfferAt)
        var random = SeededRandom(seed: seed, mixing: "\(current.rawValue)#\(inSession.count)")
        switch smartMix.decide(history, using: &random) {
        case .ask(let question, let strategy):
            try await SelectionStore.recordAsked(
                question.id, user: session.userID, session: current, ordinal: inSession.count + 1, now: context.now,
                in: context.db)
            session.pendingQuestionID = question.id
            try emitSelected(question, strategy: strategy, session: session, isRepeat: false, context: context)
        case .offerBreak(let assessment):
            session.breakOffers += 1
            session.lastBreakOfferAt = session.answeredCount
            try context.emit(SessionFatigueDetected(sessionID: current, assessment: assessment), for: session.userID)
        case .exhausted:
            try context.emit(QuestionPoolExhausted(sessionID: current), for: session.userID)
        }
    }

    private func emitSelected(
        _ question: Question, strategy: SelectionStrategy, session: SelectionSession, isRepeat: Bool,
        context: HandlerContext
    ) throws {
        try context.emit(
            QuestionSelected(
                sessionID: session.sessionID, questionID: question.id, ordinal: session.answeredCount + 1,
                targetAnswers: session.targetAnswers, strategy: strategy, text: question.text,
                isScale: question.kind.isScale, isRepeat: isRepeat),
            for: session.userID)
    }
}
