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
