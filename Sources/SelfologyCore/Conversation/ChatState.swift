import Foundation

/// The gateway's finite-state machine phases, as in the seed, plus a paused phase for /pause.
public enum ChatPhase: String, Codable, Sendable, CaseIterable {
    case newUser = "new_user"
    case gdprPending = "gdpr_pending"
    case onboardingActive = "onboarding_active"
    case waitingForAnswer = "waiting_for_answer"
    case processingAnswer = "processing_answer"
    /// Smart Mix noticed fatigue; the person chooses to pause, finish or go on.
    case breakOffered = "break_offered"
    case onboardingPaused = "onboarding_paused"
    case onboardingComplete = "onboarding_complete"
    case chatActive = "chat_active"

    /// Phases in which an onboarding session is under way.
    public var isOnboarding: Bool {
        [.onboardingActive, .waitingForAnswer, .processingAnswer, .breakOffered, .onboardingPaused].contains(self)
    }
}

/// The question the person is looking at, so an answer can be attached to it.
public struct PendingQuestion: Codable, Sendable, Equatable {
    public let questionID: QuestionID
    public let isScale: Bool
    public let ordinal: Int

    enum CodingKeys: String, CodingKey {
        case ordinal
        case questionID = "question_id"
        case isScale = "is_scale"
    }

    public init(questionID: QuestionID, isScale: Bool, ordinal: Int) {
        self.questionID = questionID
        self.isScale = isScale
        self.ordinal = ordinal
    }
}

/// Everything the gateway remembers about one person's conversation.
public struct ChatState: Codable, Sendable, Equatable {
    public var phase: ChatPhase
    public var language: Language
    public var consentedAt: Date?
    public var sessionID: SessionID?
    public var pendingQuestion: PendingQuestion?
    /// When a message last showed signs of crisis; later messages are met with that in mind.
    public var crisisNoticedAt: Date?
    /// The trace of the last answer a model read danger in (`SafetyCrisisSuspected`): its feedback, which comes
    /// after, is not shown, as the person was met with care instead.
    public var crisisTrace: String?
    /// When /forget asked the person to confirm deleting everything; the next input confirms, declines or drops it.
    public var erasureOfferedAt: Date?

    enum CodingKeys: String, CodingKey {
        case phase, language
        case consentedAt = "consented_at"
        case sessionID = "session_id"
        case pendingQuestion = "pending_question"
        case crisisNoticedAt = "crisis_noticed_at"
        case crisisTrace = "crisis_trace"
        case erasureOfferedAt = "erasure_offered_at"
    }

    public init(
        phase: ChatPhase = .newUser, language: Language = .en, consentedAt: Date? = nil,
        sessionID: SessionID? = nil, pendingQuestion: PendingQuestion? = nil
    ) {
        self.phase = phase
        self.language = language
        self.consentedAt = consentedAt
        self.sessionID = sessionID
        self.pendingQuestion = pendingQuestion
    }

    /// Nothing about a person is stored before they consent.
    public var mayBeStored: Bool { consentedAt != nil }
}
