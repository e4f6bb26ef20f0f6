/// Sentiment of a text from a lexicon: valence in -1...1 and the dominant emotion.
public struct SentimentReading: Codable, Sendable, Equatable {
    public let valence: Double
    public let emotion: Emotion?
    /// How many sentiment words the text contains (after negation), a signal of emotional expressiveness.
    public let emotionWords: Int

    enum CodingKeys: String, CodingKey {
        case valence, emotion
        case emotionWords = "emotion_words"
    }
}

public enum SentimentAnalyzer {
    /// A negator reaches this many tokens ahead ("not at all happy").
    static let negationReach = 3
    /// A negated word keeps part of its strength with the opposite sign: "not happy" is mildly negative.
    static let negationFactor = -0.6

    public static func analyze(_ text: String, lexicon: SentimentLexicon) -> SentimentReading {
        var total = 0.0
        var hits = 0
        var emotionWeights: [Emotion: Double] = [:]
        var negationLeft = 0
        var pendingIntensity = 1.0

        for clause in Tokenizer.clauses(text) {
            negationLeft = 0
            pendingIntensity = 1.0
            for token in clause {
                if lexicon.isNegator(token) {
                    negationLeft = negationReach
                    continue
                }
                if let factor = lexicon.intensity(of: token) {
                    pendingIntensity *= factor
                    continue
                }
                defer { negationLeft = max(0, negationLeft - 1) }
                guard let entry = lexicon.entry(for: token) else { continue }
                var valence = entry.valence * pendingIntensity
                pendingIntensity = 1.0
                let negated = negationLeft > 0
                if negated {
                    valence *= negationFactor
                    negationLeft = 0
                }
                total += valence
                hits += 1
                // A negated emotion word does not express that emotion ("not afraid" is not fear).
                if !negated, let emotion = entry.emotion {
                    emotionWeights[emotion, default: 0] += abs(valence)
                }
            }
        }
        guard hits > 0 else { return SentimentReading(valence: 0, emotion: nil, emotionWords: 0) }
        // Average, then soften towards zero for single words so one word cannot read as an extreme.
        let average = total / Double(hits)
        let valence = max(-1, min(1, average * Double(hits) / (Double(hits) + 0.5)))
        let emotion = emotionWeights.max { lhs, rhs in
            lhs.value == rhs.value ? lhs.key.rawValue > rhs.key.rawValue : lhs.value < rhs.value
        }?.key
        return SentimentReading(valence: valence, emotion: emotion, emotionWords: hits)
    }
}
