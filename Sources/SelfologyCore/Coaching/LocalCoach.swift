/// A turn of the coaching conversation.
public struct ConversationTurn: Codable, Sendable, Equatable {
    public enum Role: String, Codable, Sendable { case user, coach }
    public let role: Role
    public let text: String

    public init(role: Role, text: String) {
        self.role = role
        self.text = text
    }
}

/// What the coach knows when it answers.
public struct CoachContext: Sendable {
    public let profile: PersonalityProfile
    public let style: CoachingStyle
    public let recentTurns: [ConversationTurn]
    public let insights: [String]
    public let language: Language
    /// Life domains that people with a similar profile engage with most (aggregated over several of them, so it
    /// says nothing about any one person); empty when there are too few similar people.
    public let peerDomains: [String]

    public init(
        profile: PersonalityProfile, style: CoachingStyle, recentTurns: [ConversationTurn], insights: [String],
        language: Language, peerDomains: [String] = []
    ) {
        self.profile = profile
        self.style = style
        self.recentTurns = recentTurns
        self.insights = insights
        self.language = language
        self.peerDomains = peerDomains
    }
}

/// The offline coach: reflects what it heard, offers one small concrete step in the person's style, and asks one
/// question back. Deterministic, so the same message in the same context gets the same reply.
public struct LocalCoach: Sendable {
    public let lexicons: [Language: SentimentLexicon]

    public init(lexicons: [Language: SentimentLexicon]) { self.lexicons = lexicons }

    public func reply(to message: String, context: CoachContext) -> String {
        let language = context.language
        let reading =
            lexicons[language].map { SentimentAnalyzer.analyze(message, lexicon: $0) }
            ?? SentimentReading(valence: 0, emotion: nil, emotionWords: 0)
        let topic = TopicDetector.topic(of: message)
        // Vary wording with the conversation's length so a long chat does not repeat itself verbatim.
        let variant = context.recentTurns.count / 2
        let reflection = CoachPhrases.reflection(valence: reading.valence, emotion: reading.emotion, variant: variant)
        let step = CoachPhrases.step(topic: topic, style: context.style)
        let personal = CoachPhrases.personalTouch(profile: context.profile, topic: topic)
        let question = CoachPhrases.question(topic: topic, variant: variant)
        let separator = context.style.format == .structuredPlans ? "\n\n" : " "
        return ([reflection, step] + (personal.map { [$0] } ?? []) + [question]).map { $0[language] }
            .joined(separator: separator)
    }
}
