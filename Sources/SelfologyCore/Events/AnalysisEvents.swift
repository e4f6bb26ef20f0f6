/// Phase 1 of the dual-phase analysis: what the person gets back within moments of answering.
public struct AnswerAnalyzedInstant: EventPayload {
    public static let eventType = EventType.answerAnalyzedInstant
    public let sessionID: SessionID
    public let questionID: QuestionID
    public let language: Language
    public let analysis: InstantAnalysis

    enum CodingKeys: String, CodingKey {
        case language, analysis
        case sessionID = "session_id"
        case questionID = "question_id"
    }

    public init(sessionID: SessionID, questionID: QuestionID, language: Language, analysis: InstantAnalysis) {
        self.sessionID = sessionID
        self.questionID = questionID
        self.language = language
        self.analysis = analysis
    }
}

/// Phase 2, produced in the background: what the answer says about the person beyond single traits.
public struct AnswerAnalyzedDeep: EventPayload {
    public static let eventType = EventType.answerAnalyzedDeep
    public let sessionID: SessionID
    public let questionID: QuestionID
    public let language: Language
    public let analysis: DeepAnalysis

    enum CodingKeys: String, CodingKey {
        case language, analysis
        case sessionID = "session_id"
        case questionID = "question_id"
    }

    public init(sessionID: SessionID, questionID: QuestionID, language: Language, analysis: DeepAnalysis) {
        self.sessionID = sessionID
        self.questionID = questionID
        self.language = language
        self.analysis = analysis
    }
}

/// The trait evidence of one answer, for profile storage to merge.
public struct TraitExtracted: EventPayload {
    public static let eventType = EventType.traitExtracted
    public let sessionID: SessionID
    public let questionID: QuestionID
    public let evidence: [TraitEvidence]

    enum CodingKeys: String, CodingKey {
        case evidence
        case sessionID = "session_id"
        case questionID = "question_id"
    }

    public init(sessionID: SessionID, questionID: QuestionID, evidence: [TraitEvidence]) {
        self.sessionID = sessionID
        self.questionID = questionID
        self.evidence = evidence
    }
}
