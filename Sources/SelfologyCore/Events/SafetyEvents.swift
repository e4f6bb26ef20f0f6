/// A message or answer showed signs of danger. Carries what kind, never the text.
public struct SafetyCrisisDetected: EventPayload {
    public static let eventType = EventType.safetyCrisisDetected

    public enum Source: String, Codable, Sendable { case answer, message }

    public let categories: [CrisisCategory]
    public let source: Source
    public let sessionID: SessionID?
    public let language: Language

    enum CodingKeys: String, CodingKey {
        case categories, source, language
        case sessionID = "session_id"
    }

    public init(categories: [CrisisCategory], source: Source, sessionID: SessionID?, language: Language) {
        self.categories = categories
        self.source = source
        self.sessionID = sessionID
        self.language = language
    }
}

/// A remote model read danger in an answer or a message the crisis patterns let through (`CrisisCheck`). The
/// gateway meets the person as it meets a crisis the patterns find, only later: after the model's answer.
public struct SafetyCrisisSuspected: EventPayload, Equatable {
    public static let eventType = EventType.safetyCrisisSuspected

    public let categories: [CrisisCategory]
    public let source: SafetyCrisisDetected.Source

    public init(categories: [CrisisCategory], source: SafetyCrisisDetected.Source) {
        self.categories = categories
        self.source = source
    }
}
