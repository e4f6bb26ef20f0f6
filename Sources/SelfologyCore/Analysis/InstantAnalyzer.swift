/// Phase 1 output schema (version 1). A remote model filling this schema must produce the same fields.
public struct InstantAnalysis: Codable, Sendable, Equatable {
    public static let schemaVersion = 1
    public let valence: Double
    public let emotion: Emotion?
    public let quality: Double
    public let insight: String
    public let wordCount: Int
    /// The person said they are tired of the questions; Smart Mix then offers a break.
    public let saidTired: Bool

    enum CodingKeys: String, CodingKey {
        case valence, emotion, quality, insight
        case wordCount = "word_count"
        case saidTired = "said_tired"
    }

    public init(valence: Double, emotion: Emotion?, quality: Double, insight: String, wordCount: Int, saidTired: Bool) {
        self.valence = valence
        self.emotion = emotion
        self.quality = quality
        self.insight = insight
        self.wordCount = wordCount
        self.saidTired = saidTired
    }

    /// Writes every property, nulls included, so the output satisfies the schema's strict `required` list.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(valence, forKey: .valence)
        try container.encode(emotion, forKey: .emotion)
        try container.encode(quality, forKey: .quality)
        try container.encode(insight, forKey: .insight)
        try container.encode(wordCount, forKey: .wordCount)
        try container.encode(saidTired, forKey: .saidTired)
    }
}

/// The local (offline, deterministic) instant analyzer: lexicon sentiment, quality, one warm sentence.
public struct InstantAnalyzer: Sendable {
    public let lexicons: [Language: SentimentLexicon]

    public init(lexicons: [Language: SentimentLexicon]) { self.lexicons = lexicons }

    public func analyze(answer: String, scaleValue: Int?, question: Question?, language: Language)
        -> InstantAnalysis
    {
        let tokens = Tokenizer.tokens(answer)
        if let scaleValue {
            return InstantAnalysis(
                valence: 0, emotion: nil, quality: 1, insight: InsightPhrases.scale(scaleValue, language),
                wordCount: tokens.count, saidTired: false)
        }
        let reading =
            lexicons[language].map { SentimentAnalyzer.analyze(answer, lexicon: $0) }
            ?? SentimentReading(valence: 0, emotion: nil, emotionWords: 0)
        let quality = AnswerQuality.score(tokens: tokens, emotionWords: reading.emotionWords, language: language)
        let insight = InsightPhrases.instant(
            valence: reading.valence, emotion: reading.emotion, quality: quality, variant: tokens.count,
            language: language)
        return InstantAnalysis(
            valence: (reading.valence * 1000).rounded() / 1000, emotion: reading.emotion, quality: quality,
            insight: insight, wordCount: tokens.count, saidTired: FatigueCue.saysTired(answer, language: language))
    }
}
