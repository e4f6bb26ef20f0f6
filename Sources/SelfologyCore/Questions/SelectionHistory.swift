/// What Smart Mix knows about one question already shown to the person.
public struct AskedQuestion: Sendable, Equatable {
    public enum Outcome: String, Sendable, Codable { case pending, answered, skipped }

    public let questionID: QuestionID
    public let outcome: Outcome
    /// Instant-analysis reading of the answer, when answered.
    public let quality: Double?
    public let valence: Double?
    public let wordCount: Int?
    /// Seconds from the question being selected to the answer being analysed.
    public let responseSeconds: Double?
    /// The person said they are tired or want to stop ("tired", "устал").
    public let saidTired: Bool

    public init(
        questionID: QuestionID, outcome: Outcome, quality: Double? = nil, valence: Double? = nil,
        wordCount: Int? = nil, responseSeconds: Double? = nil, saidTired: Bool = false
    ) {
        self.questionID = questionID
        self.outcome = outcome
        self.quality = quality
        self.valence = valence
        self.wordCount = wordCount
        self.responseSeconds = responseSeconds
        self.saidTired = saidTired
    }
}

/// Everything Smart Mix decides from: this session's questions in order, and all earlier sessions' questions.
public struct SelectionHistory: Sendable {
    public let session: [AskedQuestion]
    public let earlier: [AskedQuestion]
    public let targetAnswers: Int
    /// Breaks offered in this session, and the answer count at the latest offer.
    public let breakOffers: Int
    public let lastBreakOfferAt: Int?

    public init(
        session: [AskedQuestion], earlier: [AskedQuestion] = [], targetAnswers: Int, breakOffers: Int = 0,
        lastBreakOfferAt: Int? = nil
    ) {
        self.session = session
        self.earlier = earlier
        self.targetAnswers = targetAnswers
        self.breakOffers = breakOffers
        self.lastBreakOfferAt = lastBreakOfferAt
    }

    public var answeredCount: Int { session.filter { $0.outcome == .answered }.count }
    public var everAsked: Set<QuestionID> { Set((earlier + session).map(\.questionID)) }
    /// Every answered question, earlier sessions first.
    public var allAnswered: [AskedQuestion] { (earlier + session).filter { $0.outcome == .answered } }
}
