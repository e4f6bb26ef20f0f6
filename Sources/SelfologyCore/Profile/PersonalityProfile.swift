/// The evidence one source contributed to a value.
public struct SourceTally: Codable, Sendable, Equatable {
    public var count: Int
    /// Sum of value × weight, and the sum of weights: their ratio is this source's own mean.
    public var weightedSum: Double
    public var weight: Double

    enum CodingKeys: String, CodingKey {
        case count, weight
        case weightedSum = "weighted_sum"
    }

    public init(count: Int = 0, weightedSum: Double = 0, weight: Double = 0) {
        self.count = count
        self.weightedSum = weightedSum
        self.weight = weight
    }

    public var mean: Double? { weight > 0 ? weightedSum / weight : nil }
}

/// One value of the profile. `weight` is the total evidence behind it, which is what keeps a single new answer
/// from swinging a value that many answers established.
public struct TraitScore: Codable, Sendable, Equatable {
    public var value: Double
    public var weight: Double
    /// For categorical traits (learning style…): the label with the most evidence, and the evidence per label.
    public var label: String?
    public var labelWeights: [String: Double]
    /// What the value rests on, per source.
    public var sources: [EvidenceSource: SourceTally]

    enum CodingKeys: String, CodingKey {
        case value, weight, label, sources
        case labelWeights = "label_weights"
    }

    public init(
        value: Double, weight: Double, label: String? = nil, labelWeights: [String: Double] = [:],
        sources: [EvidenceSource: SourceTally] = [:]
    ) {
        self.value = value
        self.weight = weight
        self.label = label
        self.labelWeights = labelWeights
        self.sources = sources
    }

    /// The Big Five score from scale items alone: exactly the mean of the keyed item scores.
    public var scaleScore: Double? { sources[.scaleItem]?.mean }

    /// Grows with evidence and approaches 1: 1 scale item gives 0.25, 5 give 0.63, 11 give 0.79.
    public var confidence: Double { weight / (weight + ProfileMerge.confidenceHalfWeight) }
}

/// The unique signature layer: a few words that describe how this person tends to think, decide and spend energy.
public struct UniqueSignature: Codable, Sendable, Equatable {
    public var thinkingStyle: String
    public var decisionPattern: String
    public var energyRhythm: String

    enum CodingKeys: String, CodingKey {
        case thinkingStyle = "thinking_style"
        case decisionPattern = "decision_pattern"
        case energyRhythm = "energy_rhythm"
    }

    public init(thinkingStyle: String, decisionPattern: String, energyRhythm: String) {
        self.thinkingStyle = thinkingStyle
        self.decisionPattern = decisionPattern
        self.energyRhythm = energyRhythm
    }
}

/// The multi-layer personality profile of the seed: Big Five, core dynamics, adaptive traits, domain affinities,
/// plus the unique signature.
public struct PersonalityProfile: Codable, Sendable, Equatable {
    public var bigFive: [String: TraitScore]
    public var coreDynamics: [String: TraitScore]
    public var adaptiveTraits: [String: TraitScore]
    public var domainAffinities: [String: TraitScore]
    public var signature: UniqueSignature?
    public var answersAnalyzed: Int

    enum CodingKeys: String, CodingKey {
        case signature
        case bigFive = "big_five"
        case coreDynamics = "core_dynamics"
        case adaptiveTraits = "adaptive_traits"
        case domainAffinities = "domain_affinities"
        case answersAnalyzed = "answers_analyzed"
    }

    public init() {
        bigFive = [:]
        coreDynamics = [:]
        adaptiveTraits = [:]
        domainAffinities = [:]
        signature = nil
        answersAnalyzed = 0
    }

    public subscript(key: TraitKey) -> TraitScore? {
        get { self[key.category][key.name] }
        set { self[key.category][key.name] = newValue }
    }

    public subscript(category: TraitCategory) -> [String: TraitScore] {
        get {
            switch category {
            case .bigFive: bigFive
            case .coreDynamics: coreDynamics
            case .adaptiveTraits: adaptiveTraits
            case .domainAffinities: domainAffinities
            }
        }
        set {
            switch category {
            case .bigFive: bigFive = newValue
            case .coreDynamics: coreDynamics = newValue
            case .adaptiveTraits: adaptiveTraits = newValue
            case .domainAffinities: domainAffinities = newValue
            }
        }
    }

    /// The Big Five value for a trait, or nil while there is no evidence for it.
    public func value(of trait: BigFiveTrait) -> Double? { bigFive[trait.rawValue]?.value }
}
