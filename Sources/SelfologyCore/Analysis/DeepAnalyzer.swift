/// Phase 2 output schema (version 1): the evidence an answer gives, plus patterns and insights in words.
public struct DeepAnalysis: Codable, Sendable, Equatable {
    public static let schemaVersion = 1
    public let evidence: [TraitEvidence]
    public let patterns: [String]
    public let insights: [String]

    public init(evidence: [TraitEvidence], patterns: [String], insights: [String]) {
        self.evidence = evidence
        self.patterns = patterns
        self.insights = insights
    }

    /// What the schema cannot say: every trait must exist in its layer, and adaptive traits need a label.
    public var semanticProblems: [String] {
        evidence.enumerated().compactMap { index, item in
            if !item.trait.isKnown { return "evidence \(index): unknown trait \(item.trait)" }
            if item.trait.category == .adaptiveTraits && item.label == nil {
                return "evidence \(index): \(item.trait) needs a label"
            }
            return nil
        }
    }
}

/// The local deep analyzer. Scale items are scored exactly (reverse keys honoured); free text gives weaker
/// evidence about engagement with the question's domain and about self-awareness.
public struct DeepAnalyzer: Sendable {
    public let lexicons: [Language: SentimentLexicon]
    public let cues: [Language: TraitCueLexicon]

    public init(lexicons: [Language: SentimentLexicon], cues: [Language: TraitCueLexicon]) {
        self.lexicons = lexicons
        self.cues = cues
    }

    /// Maps a 1-5 agreement to 0...1 on the item's trait; for a reverse-keyed item agreeing means low.
    public static func scaleScore(_ value: Int, reverse: Bool) -> Double {
        let clamped = Double(min(5, max(1, value)))
        let score = (clamped - 1) / 4
        return reverse ? 1 - score : score
    }

    public func analyze(answer: String, scaleValue: Int?, question: Question, language: Language) -> DeepAnalysis {
        if case .scale(let trait, let reverse) = question.kind, let scaleValue {
            let evidence = TraitEvidence(
                trait: .bigFive(trait), value: Self.scaleScore(scaleValue, reverse: reverse), confidence: 1,
                source: .scaleItem, reference: question.id.rawValue)
            return DeepAnalysis(evidence: [evidence], patterns: [], insights: [])
        }
        let tokens = Tokenizer.tokens(answer)
        let reading =
            lexicons[language].map { SentimentAnalyzer.analyze(answer, lexicon: $0) }
            ?? SentimentReading(valence: 0, emotion: nil, emotionWords: 0)
        let quality = AnswerQuality.score(tokens: tokens, emotionWords: reading.emotionWords, language: language)
        let selfWords = tokens.filter { AnswerQuality.selfReference[language]?.contains($0) ?? false }.count

        var evidence = [
            // Long, detailed answers in a domain signal that the domain matters to the person.
            TraitEvidence(
                trait: .domain(question.domain), value: quality, confidence: 0.6, source: .textCue,
                reference: "answer_quality")
        ]
        if tokens.count >= 8 {
            let awareness = min(1, 0.3 + 0.15 * Double(selfWords) + 0.15 * Double(reading.emotionWords))
            evidence.append(
                TraitEvidence(
                    trait: TraitKey(.coreDynamics, "self_awareness"), value: awareness, confidence: 0.4,
                    source: .textCue, reference: "self_reference"))
        }
        let hits = cues[language]?.hits(in: tokens) ?? []
        evidence += CueEvidence.evidence(from: hits)
        var patterns: [String] = []
        if selfWords >= 3 { patterns.append("self_reflective") }
        if reading.emotionWords >= 2 { patterns.append("emotionally_expressive") }
        if tokens.count < 5 { patterns.append("brief_answers") }
        patterns += CueEvidence.patterns(from: hits)
        let insights = CueEvidence.insight(from: hits, language: language).map { [$0] } ?? []
        return DeepAnalysis(evidence: evidence, patterns: patterns, insights: insights)
    }
}
