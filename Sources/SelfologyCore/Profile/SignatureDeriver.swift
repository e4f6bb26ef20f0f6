/// Derives the unique signature from the profile's layers. Words, not numbers, because the person reads them.
public enum SignatureDeriver {
    public static func signature(of profile: PersonalityProfile) -> UniqueSignature? {
        guard !profile.bigFive.isEmpty else { return nil }
        let openness = profile.value(of: .openness) ?? 0.5
        let conscientiousness = profile.value(of: .conscientiousness) ?? 0.5
        let extraversion = profile.value(of: .extraversion) ?? 0.5
        let neuroticism = profile.value(of: .neuroticism) ?? 0.5

        let thinking: String =
            switch (openness >= 0.6, conscientiousness >= 0.6) {
            case (true, true): "visionary-systematic"
            case (true, false): "exploratory-intuitive"
            case (false, true): "structured-analytical"
            case (false, false): "grounded-pragmatic"
            }
        let decision =
            profile.adaptiveTraits["decision_pattern"]?.label
            ?? (conscientiousness >= 0.6 ? "deliberate" : "adaptive")
        let energy: String =
            switch (extraversion >= 0.6, neuroticism >= 0.6) {
            case (true, false): "outward-steady"
            case (true, true): "outward-surging"
            case (false, false): "inward-steady"
            case (false, true): "inward-sensitive"
            }
        return UniqueSignature(thinkingStyle: thinking, decisionPattern: decision, energyRhythm: energy)
    }
}
