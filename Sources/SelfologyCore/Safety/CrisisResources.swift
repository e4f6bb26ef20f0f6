/// Where a person in crisis can get help now: per country, with an international default. Operators choose the
/// country (`SELFOLOGY_CRISIS_COUNTRY`) or ship their own file (`SELFOLOGY_CRISIS_RESOURCES`).
public struct CrisisResources: Codable, Sendable {
    public struct Entry: Codable, Sendable {
        public let name: LocalizedText
        public let lines: [LocalizedText]
    }

    public let international: Entry
    public let countries: [String: Entry]
    /// Country assumed for a language when the operator sets none (Russian speakers → RU).
    public let languageDefaults: [String: String]

    enum CodingKeys: String, CodingKey {
        case international, countries
        case languageDefaults = "language_defaults"
    }

    /// The lines to show: the country's own services first, then the international ones.
    public func text(for language: Language, country: String?) -> String {
        let code = (country ?? languageDefaults[language.rawValue])?.uppercased()
        var entries: [Entry] = []
        if let code, let local = countries[code] { entries.append(local) }
        entries.append(international)
        return entries.flatMap { $0.lines.map { "• " + $0[language] } }.joined(separator: "\n")
    }
}

/// What the conversation machine needs to meet a person in crisis.
public struct SafetyPolicy: Sendable {
    public let detector: CrisisDetector
    public let resources: CrisisResources
    /// ISO country code chosen by the operator, or nil to follow the person's language.
    public let country: String?

    public init(detector: CrisisDetector, resources: CrisisResources, country: String?) {
        self.detector = detector
        self.resources = resources
        self.country = country
    }
}
