/// A question on its way to the user. It carries everything the gateway needs to show it, so the gateway never
/// looks anything up.
public struct QuestionSelected: EventPayload {
    public static let eventType = EventType.questionSelected
    public let sessionID: SessionID
    public let questionID: QuestionID
    /// 1 for the first question of the session.
    public let ordinal: Int
    public let targetAnswers: Int
    public let strategy: SelectionStrategy
    public let text: LocalizedText
    public let isScale: Bool
    /// True when this question was already shown and is repeated after a resume.
    public let isRepeat: Bool

    enum CodingKeys: String, CodingKey {
        case ordinal, strategy, text
        case sessionID = "session_id"
        case questionID = "question_id"
        case targetAnswers = "target_answers"
        case isScale = "is_scale"
        case isRepeat = "is_repeat"
    }

    public init(
        sessionID: SessionID, questionID: QuestionID, ordinal: Int, targetAnswers: Int,
        strategy: SelectionStrategy, text: LocalizedText, isScale: Bool, isRepeat: Bool
    ) {
        self.sessionID = sessionID
        self.questionID = questionID
        self.ordinal = ordinal
        self.targetAnswers = targetAnswers
        self.strategy = strategy
        self.text = text
        self.isScale = isScale
        self.isRepeat = isRepeat
    }
}

public struct SessionFatigueDetected: EventPayload {
    public static let eventType = EventType.sessionFatigueDetected
    public let sessionID: SessionID
    public let assessment: FatigueAssessment

    enum CodingKeys: String, CodingKey {
        case assessment
        case sessionID = "session_id"
    }

    public init(sessionID: SessionID, assessment: FatigueAssessment) {
        self.sessionID = sessionID
        self.assessment = assessment
    }
}

public struct QuestionPoolExhausted: EventPayload {
    public static let eventType = EventType.questionPoolExhausted
    public let sessionID: SessionID
    enum CodingKeys: String, CodingKey { case sessionID = "session_id" }
    public init(sessionID: SessionID) { self.sessionID = sessionID }
}

public struct QuestionSkipped: EventPayload {
    public static let eventType = EventType.questionSkipped
    public let sessionID: SessionID
    public let questionID: QuestionID

    enum CodingKeys: String, CodingKey {
        case sessionID = "session_id"
        case questionID = "question_id"
    }

    public init(sessionID: SessionID, questionID: QuestionID) {
        self.sessionID = sessionID
        self.questionID = questionID
    }
}

/// An answer exactly as the person gave it. Free text in `text`; scale answers also carry `scaleValue` (1-5).
public struct AnswerSubmitted: EventPayload {
    public static let eventType = EventType.answerSubmitted
    public let sessionID: SessionID
    public let questionID: QuestionID
    public let text: String
    public let scaleValue: Int?
    public let language: Language

    enum CodingKeys: String, CodingKey {
        case text, language
        case sessionID = "session_id"
        case questionID = "question_id"
        case scaleValue = "scale_value"
    }

    public init(sessionID: SessionID, questionID: QuestionID, text: String, scaleValue: Int?, language: Language) {
        self.sessionID = sessionID
        self.questionID = questionID
        self.text = text
        self.scaleValue = scaleValue
        self.language = language
    }
}
