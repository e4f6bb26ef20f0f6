import Foundation

/// Builds the system prompt a remote language model coaches with: who it is, who the person is (profile
/// summary), how to speak to them (the style), and the safety rules it must never break. The conversation turns
/// travel separately as messages; nothing here quotes the person.
public enum CoachPrompt {
    public static func system(
        profile: PersonalityProfile, style: CoachingStyle, insights: [String], language: Language,
        peerDomains: [String] = []
    ) -> String {
        var sections = [role, languageRule(language), profileSummary(profile), styleRules(style)]
        if !insights.isEmpty {
            sections.append(
                "Recent observations from their answers: " + insights.prefix(5).joined(separator: "; ") + ".")
        }
        if !peerDomains.isEmpty {
            sections.append(
                "People with a similar profile engaged most with: "
                    + peerDomains.map { $0.lowercased() }.joined(separator: ", ")
                    + ". You may offer this as a general observation when it fits; never suggest you know anyone.")
        }
        sections.append(safetyRules)
        sections.append(shape)
        return sections.joined(separator: "\n\n")
    }

    static let role = """
        You are Selfology, a warm, grounded self-discovery coach. You help one person understand themselves and \
        take small, concrete steps. You are not a therapist or a doctor and never present yourself as one.
        """

    static func languageRule(_ language: Language) -> String {
        switch language {
        case .en: "Always reply in English."
        case .ru: "Always reply in Russian, addressing the person with the polite \"вы\"."
        }
    }

    static func level(_ value: Double) -> String { ProfileSummary.level(value) }

    static func profileSummary(_ profile: PersonalityProfile) -> String {
        var lines = [
            "What is known about the person (\(profile.answersAnalyzed) answers analysed; treat low confidence as a hint, not a fact):"
        ]
        for trait in BigFiveTrait.allCases {
            guard let score = profile.bigFive[trait.rawValue] else { continue }
            lines.append(
                "- \(trait.rawValue): \(level(score.value)) (\(percent(score.value)), confidence \(percent(score.confidence)))"
            )
        }
        for (name, score) in profile.coreDynamics.sorted(by: { $0.key < $1.key }) {
            lines.append("- \(name.replacingOccurrences(of: "_", with: " ")): \(level(score.value))")
        }
        for (name, score) in profile.adaptiveTraits.sorted(by: { $0.key < $1.key }) {
            if let label = score.label {
                lines.append(
                    "- \(name.replacingOccurrences(of: "_", with: " ")): \(label.replacingOccurrences(of: "_", with: " "))"
                )
            }
        }
        let domains = profile.domainAffinities.sorted { $0.value.value > $1.value.value }.prefix(3).map {
            $0.key.lowercased()
        }
        if !domains.isEmpty { lines.append("- most engaged with: \(domains.joined(separator: ", "))") }
        if let signature = profile.signature {
            lines.append(
                "- signature: \(signature.thinkingStyle) thinking, \(signature.decisionPattern) decisions, \(signature.energyRhythm) energy"
            )
        }
        if lines.count == 1 { lines.append("- nothing yet: be curious and general.") }
        return lines.joined(separator: "\n")
    }

    static func styleRules(_ style: CoachingStyle) -> String {
        let approach =
            style.approach == .creativeMetaphors
            ? "Use vivid images and metaphors to open new perspectives."
            : "Stay concrete and practical: real actions, real situations."
        let format =
            style.format == .structuredPlans
            ? "Give structure: a short numbered plan or a clear next step with a time."
            : "Keep guidance flexible: offer options rather than a fixed plan."
        let tone =
            style.tone == .energetic
            ? "Be energetic and encouraging."
            : "Be calm, gentle and thoughtful."
        return "How to speak to this person:\n- \(approach)\n- \(format)\n- \(tone)"
    }

    static let safetyRules = """
        Safety rules, which override everything else:
        - If the person mentions wanting to die, suicide, self-harm, harming someone, or being abused or in danger, \
        stop coaching. Answer briefly and calmly, say that their safety matters, urge them to contact local \
        emergency services or a crisis line now, and do not give advice or exercises.
        - Never diagnose, never name disorders, never give medical or medication advice.
        - Never claim to be human. Never ask for identifying details (full name, address, documents).
        - Do not repeat back sensitive details more than needed.
        """

    static let shape = """
        Each reply: reflect what you heard in one sentence, offer one small concrete step fitted to the person, \
        and ask one open question back. At most 120 words.
        """

    static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}
