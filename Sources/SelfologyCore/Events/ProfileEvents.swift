import Foundation

public struct ProfileUpdated: EventPayload {
    public static let eventType = EventType.profileUpdated
    /// Incremented by every stored update; consumers can tell a stale copy from a fresh one.
    public let version: Int
    public let changes: [TraitChange]
    public let profile: PersonalityProfile
    /// The event whose evidence caused this update (recorded as the trigger in the trait history).
    public let trigger: EventID

    public init(version: Int, changes: [TraitChange], profile: PersonalityProfile, trigger: EventID) {
        self.version = version
        self.changes = changes
        self.profile = profile
        self.trigger = trigger
    }
}

/// A profile's new embedding, so the coach keeps its own copy for similar-profile search instead of reading
/// profile storage's table. Only sent when the summary (levels, not scores) or the embedding model changed.
public struct ProfileVectorUpdated: EventPayload {
    public static let eventType = EventType.profileVectorUpdated
    /// Version 2 carries the vector as base64 of little-endian floats (`VectorBytes`); version 1 carried a
    /// JSON array of numbers, which is still read.
    public static let version = 2
    public let model: String
    public let summary: String
    public let vector: [Float]

    public init(model: String, summary: String, vector: [Float]) {
        self.model = model
        self.summary = summary
        self.vector = vector
    }

    enum CodingKeys: String, CodingKey { case model, summary, vector }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        summary = try container.decode(String.self, forKey: .summary)
        if let packed = try? container.decode(String.self, forKey: .vector) {
            guard let bytes = Data(base64Encoded: packed), bytes.count % 4 == 0 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .vector, in: container, debugDescription: "not base64 of 32-bit floats")
            }
            vector = VectorBytes.decode(bytes)
        } else {
            vector = try container.decode([Float].self, forKey: .vector)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(summary, forKey: .summary)
        try container.encode(VectorBytes.encode(vector).base64EncodedString(), forKey: .vector)
    }
}

public struct TraitEvolutionDetected: EventPayload {
    public static let eventType = EventType.traitEvolutionDetected
    public let trait: TraitKey
    public let pattern: EvolutionPattern
    public let strength: Double
    /// New value minus old value of the change that triggered detection.
    public let change: Double
    /// Number of history points the pattern was computed over.
    public let window: Int

    public init(trait: TraitKey, pattern: EvolutionPattern, strength: Double, change: Double, window: Int) {
        self.trait = trait
        self.pattern = pattern
        self.strength = strength
        self.change = change
        self.window = window
    }
}

public struct ProfileRequested: EventPayload {
    public static let eventType = EventType.profileRequested
    public let language: Language
    public init(language: Language) { self.language = language }
}

/// The profile as the person should see it, sent after /profile and at the end of onboarding.
public struct ProfileSnapshotReady: EventPayload {
    public static let eventType = EventType.profileSnapshotReady

    public enum Reason: String, Codable, Sendable {
        case requested
        case onboardingCompleted = "onboarding_completed"
    }

    public let reason: Reason
    public let language: Language
    public let profile: PersonalityProfile
    public let style: CoachingStyle
    public let patterns: [TraitPatternSummary]

    public init(
        reason: Reason, language: Language, profile: PersonalityProfile, style: CoachingStyle,
        patterns: [TraitPatternSummary]
    ) {
        self.reason = reason
        self.language = language
        self.profile = profile
        self.style = style
        self.patterns = patterns
    }
}
