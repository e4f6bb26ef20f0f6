/// One value of the profile. `weight` is the total evidence behind it, which is what keeps a single new answer
/// from swinging a value that many answers established.
public struct TraitScore: Codable, Sendable, Equatable {
    public var value: Double
    public var weight: Double
    public var label: String?
    /// Evidence count per source, so the profile can say what each value rests on.
    public var sources: [EvidenceSource: Int]

    public init(value: Double, weight: Double, label: String? = nil, sources: [EvidenceSource: Int] = [:]) {
        self.value = value
        self.weight = weight
        self.label = label
        self.sources = sources
    }

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
