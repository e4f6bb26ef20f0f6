import Foundation

public struct OnboardingInitiated: EventPayload {
    public static let eventType = EventType.onboardingInitiated
    public let language: Language
    public let consentedAt: Date

    enum CodingKeys: String, CodingKey {
        case language
        case consentedAt = "consented_at"
    }

    public init(language: Language, consentedAt: Date) {
        self.language = language
        self.consentedAt = consentedAt
    }
}

/// Emitted both for a new session and for one that is active again, so both consumers react the same way.
public struct SessionStarted: Codable, Sendable, Equatable {
    public let sessionID: SessionID
    public let language: Language
    /// Answers after which onboarding completes; consumers use it so they agree with session management.
    public let targetAnswers: Int
    public let answersSoFar: Int

    enum CodingKeys: String, CodingKey {
        case language
        case sessionID = "session_id"
        case targetAnswers = "target_answers"
        case answersSoFar = "answers_so_far"
    }

    public init(sessionID: SessionID, language: Language, targetAnswers: Int, answersSoFar: Int) {
        self.sessionID = sessionID
        self.language = language
        self.targetAnswers = targetAnswers
        self.answersSoFar = answersSoFar
    }
}

public struct SessionCreated: EventPayload {
    public static let eventType = EventType.sessionCreated
    public let session: SessionStarted
    public init(session: SessionStarted) { self.session = session }
}

public struct SessionResumed: EventPayload {
    public static let eventType = EventType.sessionResumed
    public let session: SessionStarted
    public init(session: SessionStarted) { self.session = session }
}

/// A user's request about their session: /pause, /resume or /end.
public struct SessionControlRequest: Codable, Sendable, Equatable {
    public let sessionID: SessionID?
    enum CodingKeys: String, CodingKey { case sessionID = "session_id" }
    public init(sessionID: SessionID?) { self.sessionID = sessionID }
}

public struct SessionPauseRequested: EventPayload {
    public static let eventType = EventType.sessionPauseRequested
    public let request: SessionControlRequest
    public init(sessionID: SessionID?) { request = .init(sessionID: sessionID) }
}

public struct SessionResumeRequested: EventPayload {
    public static let eventType = EventType.sessionResumeRequested
    public let request: SessionControlRequest
    public init(sessionID: SessionID?) { request = .init(sessionID: sessionID) }
}

public struct SessionEndRequested: EventPayload {
    public static let eventType = EventType.sessionEndRequested
    public let request: SessionControlRequest
    public init(sessionID: SessionID?) { request = .init(sessionID: sessionID) }
}

/// How a session ended or stopped: the common body of paused, timed-out and completed.
public struct SessionStopped: Codable, Sendable, Equatable {
    public enum Reason: String, Codable, Sendable {
        case enoughAnswers = "enough_answers"
        case userEnded = "user_ended"
        case userPaused = "user_paused"
        case inactivity
        case noMoreQuestions = "no_more_questions"
        /// Paused because a message showed signs of crisis; the person has already been answered.
        case safety
    }

    public let sessionID: SessionID
    public let reason: Reason
    public let answers: Int
    public let language: Language

    enum CodingKeys: String, CodingKey {
        case reason, answers, language
        case sessionID = "session_id"
    }

    public init(sessionID: SessionID, reason: Reason, answers: Int, language: Language) {
        self.sessionID = sessionID
        self.reason = reason
        self.answers = answers
        self.language = language
    }
}

public struct SessionPaused: EventPayload {
    public static let eventType = EventType.sessionPaused
    public let session: SessionStopped
    public init(session: SessionStopped) { self.session = session }
}

public struct SessionTimedOut: EventPayload {
    public static let eventType = EventType.sessionTimedOut
    public let session: SessionStopped
    public init(session: SessionStopped) { self.session = session }
}

public struct SessionCompleted: EventPayload {
    public static let eventType = EventType.sessionCompleted
    public let session: SessionStopped
    public init(session: SessionStopped) { self.session = session }
}
