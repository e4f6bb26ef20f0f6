/// The profile in a few words, for embedding and for a vector database's payload: trait levels and styles only.
/// Nothing the person wrote, no counts, no dates, so two people with the same profile get the same text and a
/// profile's text changes only when a level changes.
public enum ProfileSummary {
    public static func text(of profile: PersonalityProfile) -> String {
        var parts: [String] = []
        for trait in BigFiveTrait.allCases {
            guard let score = profile.bigFive[trait.rawValue] else { continue }
            parts.append("\(trait.rawValue) \(level(score.value))")
        }
        for (name, score) in profile.coreDynamics.sorted(by: { $0.key < $1.key }) {
            parts.append("\(words(name)) \(level(score.value))")
        }
        for (name, score) in profile.adaptiveTraits.sorted(by: { $0.key < $1.key }) {
            if let label = score.label { parts.append("\(words(name)) \(words(label))") }
        }
        let domains = topDomains(of: profile, limit: 3)
        if !domains.isEmpty { parts.append("engaged with " + domains.map { $0.lowercased() }.joined(separator: " ")) }
        if let signature = profile.signature {
            parts.append(
                "\(signature.thinkingStyle) thinking, \(signature.decisionPattern) decisions, "
                    + "\(signature.energyRhythm) energy")
        }
        return parts.isEmpty ? "unknown profile" : parts.joined(separator: "; ")
    }

    /// The domains the person engages with most, strongest first (ties by name, so the order is stable).
    public static func topDomains(of profile: PersonalityProfile, limit: Int) -> [String] {
        profile.domainAffinities.sorted { ($0.value.value, $1.key) > ($1.value.value, $0.key) }.prefix(limit).map(\.key)
    }

    static func level(_ value: Double) -> String {
        switch value {
        case ..<0.35: "low"
        case ..<0.65: "moderate"
        default: "high"
        }
    }

    static func words(_ name: String) -> String { name.replacingOccurrences(of: "_", with: " ") }
}
