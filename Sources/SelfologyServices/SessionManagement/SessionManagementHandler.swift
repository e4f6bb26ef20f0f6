import Foundation
import SelfologyCore

public struct SessionSettings: Sendable {
    /// Answers after which onboarding completes.
    public var targetAnswers = 10
    /// Inactivity after which an active session times out.
    public var inactivityTimeout: TimeInterval = 30 * 60
    /// How often the timeout monitor looks for idle sessions.
    public var monitorInterval: Duration = .seconds(5 * 60)

    public init() {}
}

/// Service 2: owns the onboarding session lifecycle (active, paused, completed, timeout) and stores answers.
public struct SessionManagementHandler: EventHandler {
    public let group = ConsumerGroup.sessionManagement
    let settings: SessionSettings
    let ids: any IDGenerator

    public init(settings: SessionSettings, ids: any IDGenerator) {
        self.settings = settings
        self.ids = ids
    }

    public var personalTables: [PersonalTable] {
        [PersonalTable("onboarding_sessions"), PersonalTable("user_answers_new")]
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        try await handle(batch: [(event, context)])
    }

    /// The batch's answers are stored in one statement and its people's open sessions read in one; each event
    /// then changes the sessions in memory in turn, and what changed is written in one more statement.
    public func handle(batch: [BatchItem]) async throws {
        guard let db = batch.first?.context.db else { return }
        var answers: [EventID: AnswerSubmitted] = [:]
        var submitted: [SessionStore.SubmittedAnswer] = []
        for (event, context) in batch where event.type == .answerSubmitted {
            let answer = try event.decode(AnswerSubmitted.self)
            answers[event.id] = answer
            submitted.append(.init(eventID: event.id, user: event.userID, answer: answer, at: context.now))
        }
        // The answers are kept whatever their session's state: an answer is never lost.
        let newAnswers = try await SessionStore.store(submitted, in: db)
        var workspace = try await SessionWorkspace.load(of: Set(batch.map(\.event.userID)), in: db)
        for (event, context) in batch {
            if let answer = answers[event.id] {
                guard newAnswers.contains(event.id) else { continue }
                try count(answer, in: &workspace, user: event.userID, context: context)
            } else {
                try apply(event, to: &workspace, context: context)
            }
        }
        try await workspace.save(in: db)
    }

    private func count(
        _ answer: AnswerSubmitted, in workspace: inout SessionWorkspace, user: UserID, context: HandlerContext
    ) throws {
        guard var session = workspace.session(answer.sessionID, of: user), session.status == .active else { return }
        session.answersCount += 1
        touch(&session, now: context.now)
        if session.answersCount >= session.targetAnswers {
            try complete(&session, reason: .enoughAnswers, context: context)
        }
        workspace.save(session)
    }

    private func apply(_ event: EventEnvelope, to workspace: inout SessionWorkspace, context: HandlerContext) throws {
        let user = event.userID
        switch event.type {
        case .onboardingInitiated:
            let request = try event.decode(OnboardingInitiated.self)
            if var session = workspace.latestOpen(of: user) {
                touch(&session, now: context.now)
                session.status = .active
                workspace.save(session)
                try context.emit(SessionResumed(session: session.started), for: user)
            } else {
                let session = SessionRecord(
                    id: SessionID(ids.next()), userID: user, status: .active, language: request.language,
                    targetAnswers: settings.targetAnswers, answersCount: 0, startedAt: context.now,
                    lastActivityAt: context.now, timeoutAt: context.now.addingTimeInterval(settings.inactivityTimeout))
                workspace.save(session)
                try context.emit(SessionCreated(session: session.started), for: user)
            }

        case .questionSkipped:
            let skip = try event.decode(QuestionSkipped.self)
            guard var session = workspace.session(skip.sessionID, of: user), session.status == .active else { return }
            touch(&session, now: context.now)
            workspace.save(session)

        case .sessionPauseRequested:
            let request = try event.decode(SessionPauseRequested.self).request
            guard var session = target(request, user: user, in: workspace) else { return }
            session.status = .paused
            workspace.save(session)
            try context.emit(SessionPaused(session: session.stopped(.userPaused)), for: user)

        case .sessionResumeRequested:
            let request = try event.decode(SessionResumeRequested.self).request
            guard var session = target(request, user: user, in: workspace) else { return }
            session.status = .active
            touch(&session, now: context.now)
            workspace.save(session)
            try context.emit(SessionResumed(session: session.started), for: user)

        case .sessionEndRequested:
            let request = try event.decode(SessionEndRequested.self).request
            guard var session = target(request, user: user, in: workspace) else { return }
            try complete(&session, reason: .userEnded, context: context)
            workspace.save(session)

        case .safetyCrisisDetected:
            // The person has been answered with resources; stop the questions until they choose to resume.
            let crisis = try event.decode(SafetyCrisisDetected.self)
            guard var session = target(.init(sessionID: crisis.sessionID), user: user, in: workspace),
                session.status == .active
            else { return }
            session.status = .paused
            workspace.save(session)
            try context.emit(SessionPaused(session: session.stopped(.safety)), for: user)

        case .questionPoolExhausted:
            let exhausted = try event.decode(QuestionPoolExhausted.self)
            guard var session = workspace.session(exhausted.sessionID, of: user) else { return }
            try complete(&session, reason: .noMoreQuestions, context: context)
            workspace.save(session)

        default:
            return
        }
    }

    /// The session a /pause, /resume or /end refers to: the one named, else the newest open one.
    private func target(_ request: SessionControlRequest, user: UserID, in workspace: SessionWorkspace)
        -> SessionRecord?
    {
        if let id = request.sessionID { workspace.session(id, of: user) } else { workspace.latestOpen(of: user) }
    }

    private func touch(_ session: inout SessionRecord, now: Date) {
        session.lastActivityAt = now
        session.timeoutAt = now.addingTimeInterval(settings.inactivityTimeout)
    }

    private func complete(_ session: inout SessionRecord, reason: SessionStopped.Reason, context: HandlerContext) throws
    {
        session.status = .completed
        session.completedAt = context.now
        session.completionReason = reason.rawValue
        try context.emit(SessionCompleted(session: session.stopped(reason)), for: session.userID)
    }
}
