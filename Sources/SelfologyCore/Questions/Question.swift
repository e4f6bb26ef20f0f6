/// The twelve life domains questions explore.
public enum QuestionDomain: String, Codable, Sendable, CaseIterable {
    case identity = "IDENTITY", emotions = "EMOTIONS", relationships = "RELATIONSHIPS", work = "WORK"
    case money = "MONEY", health = "HEALTH", creativity = "CREATIVITY", spirituality = "SPIRITUALITY"
    case past = "PAST", future = "FUTURE", lifestyle = "LIFESTYLE", thoughts = "THOUGHTS"
}

/// How personal a question is, from easy preferences to a person's deepest values.
public enum DepthLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case surface = "SURFACE", conscious = "CONSCIOUS", edge = "EDGE", shadow = "SHADOW", core = "CORE"

    /// Spelled out: `allCases.firstIndex` built the array of cases for every comparison, and Smart Mix
    /// compares depths several times for each question of the bank on every decision.
    public var rank: Int {
        switch self {
        case .surface: 0
        case .conscious: 1
        case .edge: 2
        case .shadow: 3
        case .core: 4
        }
    }
    public static func < (lhs: DepthLevel, rhs: DepthLevel) -> Bool { lhs.rank < rhs.rank }
}

/// The emotional load a question puts on the person.
public enum EnergyDynamics: String, Codable, Sendable, CaseIterable {
    case opening = "OPENING", neutral = "NEUTRAL", processing = "PROCESSING", heavy = "HEAVY", healing = "HEALING"
}

public enum BigFiveTrait: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    case openness, conscientiousness, extraversion, agreeableness, neuroticism
}

/// How a question is answered: in the person's own words, or on a 1-5 agreement scale keyed to a trait.
public enum AnswerKind: Sendable, Hashable, Codable {
    case text
    case scale(trait: BigFiveTrait, reverse: Bool)

    public var isScale: Bool {
        if case .scale = self { return true }
        return false
    }
}

public struct Question: Sendable, Hashable, Identifiable {
    public let id: QuestionID
    public let domain: QuestionDomain
    public let depth: DepthLevel
    public let energy: EnergyDynamics
    /// 1 = safe for anyone, 2 = personal, 3 = sensitive (needs trust and care).
    public let safety: Int
    public let kind: AnswerKind
    public let text: LocalizedText

    public init(
        id: QuestionID, domain: QuestionDomain, depth: DepthLevel, energy: EnergyDynamics, safety: Int,
        kind: AnswerKind, text: LocalizedText
    ) {
        self.id = id
        self.domain = domain
        self.depth = depth
        self.energy = energy
        self.safety = safety
        self.kind = kind
        self.text = text
    }

    /// CORE questions are only asked once the person has shown enough trust.
    public var needsHighTrust: Bool { depth == .core }
}

/// The bundled file format: `kind` is "text" or "scale"; scale items add `trait` and `reverse`.
extension Question: Codable {
    enum CodingKeys: String, CodingKey { case id, domain, depth, energy, safety, kind, trait, reverse, text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kindName = try container.decode(String.self, forKey: .kind)
        switch kindName {
        case "text":
            kind = .text
        case "scale":
            kind = .scale(
                trait: try container.decode(BigFiveTrait.self, forKey: .trait),
                reverse: try container.decode(Bool.self, forKey: .reverse))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown answer kind '\(kindName)'")
        }
        id = try container.decode(QuestionID.self, forKey: .id)
        domain = try container.decode(QuestionDomain.self, forKey: .domain)
        depth = try container.decode(DepthLevel.self, forKey: .depth)
        energy = try container.decode(EnergyDynamics.self, forKey: .energy)
        safety = try container.decode(Int.self, forKey: .safety)
        text = try container.decode(LocalizedText.self, forKey: .text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(domain, forKey: .domain)
        try container.encode(depth, forKey: .depth)
        try container.encode(energy, forKey: .energy)
        try container.encode(safety, forKey: .safety)
        try container.encode(text, forKey: .text)
        switch kind {
        case .text:
            try container.encode("text", forKey: .kind)
        case .scale(let trait, let reverse):
            try container.encode("scale", forKey: .kind)
            try container.encode(trait, forKey: .trait)
            try container.encode(reverse, forKey: .reverse)
        }
    }
}
