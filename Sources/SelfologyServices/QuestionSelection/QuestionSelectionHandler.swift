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

    public var personalTables: [PersonalTable] {
        [PersonalTable("selection_sessions"), PersonalTable("asked_questions")]
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        try await handle(batch: [(event, context)])
    }

    /// The batch's sessions and its people's questions are read in two statements, each event changes them in
    /// memory in turn, and what changed is written in two more (see `SelectionWorkspace`).
    public func handle(batch: [BatchItem]) async throws {
        guard let db = batch.first?.context.db else { return }
        let decoded = try batch.map { item in (item, try Self.sessionEvent(item.event)) }
        var workspace = try await SelectionWorkspace.load(
            for: batch.map(\.event), sessions: Set(decoded.compactMap { $0.1?.sessionID }), in: db)
        for ((event, context), sessionEvent) in decoded {
            guard let sessionEvent else { continue }
            try apply(sessionEvent, of: event, to: &workspace, context: context)
        }
        try await workspace.save(in: db)
    }

    /// What question selection reacts to, decoded.
    enum SessionEvent {
        case started(SessionStarted)
        case answered(AnswerAnalyzedInstant)
        case skipped(QuestionSkipped)
        case stopped(SessionStopped, completed: Bool)

        var sessionID: SessionID {
            switch self {
            case .started(let started): started.sessionID
            case .answered(let analyzed): analyzed.sessionID
            case .skipped(let skipped): skipped.sessionID
            case .stopped(let stopped, _): stopped.sessionID
            }
        }
    }

    static func sessionEvent(_ event: EventEnvelope) throws -> SessionEvent? {
        switch event.type {
        case .sessionCreated: .started(try event.decode(SessionCreated.self).session)
        case .sessionResumed: .started(try event.decode(SessionResumed.self).session)
        case .answerAnalyzedInstant: .answered(try event.decode(AnswerAnalyzedInstant.self))
        case .questionSkipped: .skipped(try event.decode(QuestionSkipped.self))
        case .sessionPaused: .stopped(try event.decode(SessionPaused.self).session, completed: false)
        case .sessionTimedOut: .stopped(try event.decode(SessionTimedOut.self).session, completed: false)
        case .sessionCompleted: .stopped(try event.decode(SessionCompleted.self).session, completed: true)
        default: nil
        }
    }

    private func apply(
        _ sessionEvent: SessionEvent, of event: EventEnvelope, to workspace: inout SelectionWorkspace,
        context: HandlerContext
    ) throws {
        let user = event.userID
        switch sessionEvent {
        case .started(let started):
            var session =
                workspace.session(started.sessionID)
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
                try selectNext(&session, in: &workspace, context: context)
            }
            workspace.update(session)

        case .answered(let analyzed):
            guard var session = workspace.session(analyzed.sessionID),
                workspace.recordAnswer(
                    analyzed.questionID, user: user, analysis: analyzed.analysis, answeredAt: event.occurredAt)
            else { return }
            session.answeredCount += 1
            if session.pendingQuestionID == analyzed.questionID { session.pendingQuestionID = nil }
            if session.status == .active && session.answeredCount < session.targetAnswers {
                try selectNext(&session, in: &workspace, context: context)
            }
            workspace.update(session)

        case .skipped(let skipped):
            guard var session = workspace.session(skipped.sessionID),
                workspace.recordSkip(skipped.questionID, user: user)
            else { return }
            if session.pendingQuestionID == skipped.questionID { session.pendingQuestionID = nil }
            if session.status == .active { try selectNext(&session, in: &workspace, context: context) }
            workspace.update(session)

        case .stopped(let stopped, let completed):
            guard var session = workspace.session(stopped.sessionID) else { return }
            session.status = completed ? .completed : .paused
            // A question that was open when the person showed signs of crisis is not put to them again.
            if stopped.reason == .safety, let pending = session.pendingQuestionID {
                _ = workspace.recordSkip(pending, user: user)
                session.pendingQuestionID = nil
            }
            if session.status == .completed { session.pendingQuestionID = nil }
            workspace.update(session)
        }
    }

    private func selectNext(
        _ session: inout SelectionSession, in workspace: inout SelectionWorkspace, context: HandlerContext
    ) throws {
        let asked = workspace.questions(of: session.userID)
        let current = session.sessionID
        let inSession = asked.filter { $0.sessionID == current }.sorted { $0.ordinal < $1.ordinal }
        let history = SelectionHistory(
            session: inSession.map(\.question), earlier: asked.filter { $0.sessionID != current }.map(\.question),
            targetAnswers: session.targetAnswers, breakOffers: session.breakOffers,
            lastBreakOfferAt: session.lastBreakOfferAt)
        var random = SeededRandom(seed: seed, mixing: "\(current.rawValue)#\(inSession.count)")
        switch smartMix.decide(history, using: &random) {
        case .ask(let question, let strategy):
            workspace.recordAsked(
                question.id, user: session.userID, session: current, ordinal: inSession.count + 1, now: context.now)
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
