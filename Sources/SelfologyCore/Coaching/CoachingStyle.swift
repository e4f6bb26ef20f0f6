/// How the coach speaks to a person, chosen from their Big Five exactly as the seed's personalisation logic:
/// openness > 0.6 → creative metaphors, else practical actions; conscientiousness > 0.6 → structured plans,
/// else flexible guidance; extraversion > 0.6 → energetic, inspiring, else calm, thoughtful.
public struct CoachingStyle: Codable, Sendable, Equatable {
    public enum Approach: String, Codable, Sendable {
        case creativeMetaphors = "creative_metaphors", practicalActions = "practical_actions"
    }
    public enum Format: String, Codable, Sendable {
        case structuredPlans = "structured_plans", flexibleGuidance = "flexible_guidance"
    }
    public enum Tone: String, Codable, Sendable { case energetic, calm }

    public let approach: Approach
    public let format: Format
    public let tone: Tone

    public init(approach: Approach, format: Format, tone: Tone) {
        self.approach = approach
        self.format = format
        self.tone = tone
    }

    /// The threshold of the seed: strictly above 0.6.
    public static let threshold = 0.6

    /// A trait without evidence counts as average (0.5), so a new person gets practical, flexible, calm.
    public static func adapted(to profile: PersonalityProfile) -> CoachingStyle {
        func high(_ trait: BigFiveTrait) -> Bool { (profile.value(of: trait) ?? 0.5) > threshold }
        return CoachingStyle(
            approach: high(.openness) ? .creativeMetaphors : .practicalActions,
            format: high(.conscientiousness) ? .structuredPlans : .flexibleGuidance,
            tone: high(.extraversion) ? .energetic : .calm)
    }
}
