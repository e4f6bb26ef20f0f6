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

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        let user = event.userID
        let db = context.db
        switch event.type {
        case .onboardingInitiated:
            let request = try event.decode(OnboardingInitiated.self)
            if var session = try await SessionStore.latestOpen(of: user, in: db) {
                touch(&session, now: context.now)
                session.status = .active
                try await SessionStore.update(session, in: db)
                try context.emit(SessionResumed(session: session.started), for: user)
            } else {
                let session = SessionRecord(
                    id: SessionID(ids.next()), userID: user, status: .active, language: request.language,
                    targetAnswers: settings.targetAnswers, answersCount: 0, startedAt: context.now,
                    lastActivityAt: context.now, timeoutAt: context.now.addingTimeInterval(settings.inactivityTimeout))
                try await SessionStore.insert(session, in: db)
                try context.emit(SessionCreated(session: session.started), for: user)
            }

        case .answerSubmitted:
            let answer = try event.decode(AnswerSubmitted.self)
            // The answer is kept whatever the session's state: an answer is never lost.
            let isNew = try await SessionStore.storeAnswer(
                answer, eventID: event.id, user: user, now: context.now, in: db)
            guard isNew, var session = try await SessionStore.find(answer.sessionID, in: db), session.status == .active
            else { return }
            session.answersCount += 1
            touch(&session, now: context.now)
            if session.answersCount >= session.targetAnswers {
                try complete(&session, reason: .enoughAnswers, context: context)
            }
            try await SessionStore.update(session, in: db)

        case .questionSkipped:
            let skip = try event.decode(QuestionSkipped.self)
            guard var session = try await SessionStore.find(skip.sessionID, in: db), session.status == .active else {
                return
            }
            touch(&session, now: context.now)
            try await SessionStore.update(session, in: db)

        case .sessionPauseRequested:
            let request = try event.decode(SessionPauseRequested.self).request
            guard var session = try await target(request, user: user, context: context) else { return }
            session.status = .paused
            try await SessionStore.update(session, in: db)
            try context.emit(SessionPaused(session: session.stopped(.userPaused)), for: user)

        case .sessionResumeRequested:
            let request = try event.decode(SessionResumeRequested.self).request
            guard var session = try await target(request, user: user, context: context) else { return }
            session.status = .active
            touch(&session, now: context.now)
            try await SessionStore.update(session, in: db)
            try context.emit(SessionResumed(session: session.started), for: user)

        case .sessionEndRequested:
            let request = try event.decode(SessionEndRequested.self).request
            guard var session = try await target(request, user: user, context: context) else { return }
            try complete(&session, reason: .userEnded, context: context)
            try await SessionStore.update(session, in: db)

        case .safetyCrisisDetected:
            // The person has been answered with resources; stop the questions until they choose to resume.
            let crisis = try event.decode(SafetyCrisisDetected.self)
            guard var session = try await target(.init(sessionID: crisis.sessionID), user: user, context: context),
                session.status == .active
            else { return }
            session.status = .paused
            try await SessionStore.update(session, in: db)
            try context.emit(SessionPaused(session: session.stopped(.safety)), for: user)

        case .questionPoolExhausted:
            let exhausted = try event.decode(QuestionPoolExhausted.self)
            guard var session = try await SessionStore.find(exhausted.sessionID, in: db), session.status != .completed
            else { return }
            try complete(&session, reason: .noMoreQuestions, context: context)
            try await SessionStore.update(session, in: db)

        default:
            return
        }
    }

    /// The session a /pause, /resume or /end refers to: the one named, else the newest open one.
    private func target(_ request: SessionControlRequest, user: UserID, context: HandlerContext) async throws
        -> SessionRecord?
    {
        let session: SessionRecord? =
            if let id = request.sessionID { try await SessionStore.find(id, in: context.db) } else {
                try await SessionStore.latestOpen(of: user, in: context.db)
            }
        guard let session, session.userID == user, session.status != .completed else { return nil }
        return session
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
