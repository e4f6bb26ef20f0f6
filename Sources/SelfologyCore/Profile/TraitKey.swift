/// The four layers of a personality profile.
public enum TraitCategory: String, Codable, Sendable, CaseIterable {
    case bigFive = "big_five"
    case coreDynamics = "core_dynamics"
    case adaptiveTraits = "adaptive_traits"
    case domainAffinities = "domain_affinities"
}

/// Names one value of the profile, e.g. big_five/openness or domain_affinities/WORK.
public struct TraitKey: Codable, Sendable, Hashable, CustomStringConvertible {
    public let category: TraitCategory
    public let name: String

    public init(_ category: TraitCategory, _ name: String) {
        self.category = category
        self.name = name
    }

    public static func bigFive(_ trait: BigFiveTrait) -> TraitKey { TraitKey(.bigFive, trait.rawValue) }
    public static func domain(_ domain: QuestionDomain) -> TraitKey { TraitKey(.domainAffinities, domain.rawValue) }

    public var description: String { "\(category.rawValue)/\(name)" }

    /// The names each layer has; anything else (say, a trait a model invented) is rejected.
    public static let knownNames: [TraitCategory: Set<String>] = [
        .bigFive: Set(BigFiveTrait.allCases.map(\.rawValue)),
        .coreDynamics: ["self_awareness", "emotional_regulation", "motivation", "resilience"],
        .adaptiveTraits: ["learning_style", "stress_response", "decision_pattern"],
        .domainAffinities: Set(QuestionDomain.allCases.map(\.rawValue)),
    ]

    public var isKnown: Bool { Self.knownNames[category]?.contains(name) ?? false }
}

/// Where a piece of evidence came from; a profile value remembers how much of each it rests on.
public enum EvidenceSource: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    case scaleItem = "scale_item"
    case textCue = "text_cue"
    case model
}

/// One observation about a trait from one answer: a value in 0...1 (or a label, for categorical traits such as
/// learning style), how sure the analyzer is, and where it came from.
public struct TraitEvidence: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey { case trait, value, label, confidence, source, reference }

    public let trait: TraitKey
    public let value: Double
    public let label: String?
    public let confidence: Double
    public let source: EvidenceSource
    /// What the evidence rests on, e.g. the scale item's id or the cue word found. Never the answer text.
    public let reference: String?

    public init(
        trait: TraitKey, value: Double, label: String? = nil, confidence: Double, source: EvidenceSource,
        reference: String? = nil
    ) {
        self.trait = trait
        self.value = min(1, max(0, value))
        self.label = label
        self.confidence = min(1, max(0, confidence))
        self.source = source
        self.reference = reference
    }

    /// Writes every property, nulls included, so the output satisfies the schema's strict `required` list.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(trait, forKey: .trait)
        try container.encode(value, forKey: .value)
        try container.encode(label, forKey: .label)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(source, forKey: .source)
        try container.encode(reference, forKey: .reference)
    }
}

/// A value of the profile that moved, as recorded in the trait history.
public struct TraitChange: Codable, Sendable, Equatable {
    public let trait: TraitKey
    public let oldValue: Double?
    public let newValue: Double
    public let confidence: Double

    enum CodingKeys: String, CodingKey {
        case trait, confidence
        case oldValue = "old_value"
        case newValue = "new_value"
    }

    public init(trait: TraitKey, oldValue: Double?, newValue: Double, confidence: Double) {
        self.trait = trait
        self.oldValue = oldValue
        self.newValue = newValue
        self.confidence = confidence
    }
}
