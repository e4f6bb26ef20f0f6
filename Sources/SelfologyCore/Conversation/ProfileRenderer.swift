/// Turns a profile snapshot into the text a person reads after /profile.
public enum ProfileRenderer {
    static let traitNames: [BigFiveTrait: LocalizedText] = [
        .openness: .init(en: "Openness", ru: "Открытость опыту"),
        .conscientiousness: .init(en: "Conscientiousness", ru: "Добросовестность"),
        .extraversion: .init(en: "Extraversion", ru: "Экстраверсия"),
        .agreeableness: .init(en: "Agreeableness", ru: "Доброжелательность"),
        .neuroticism: .init(en: "Emotional sensitivity", ru: "Эмоциональная чувствительность"),
    ]
    static let styleWords: [String: LocalizedText] = [
        "creative_metaphors": .init(en: "creative metaphors", ru: "образы и метафоры"),
        "practical_actions": .init(en: "practical actions", ru: "практические шаги"),
        "structured_plans": .init(en: "structured plans", ru: "чёткие планы"),
        "flexible_guidance": .init(en: "flexible guidance", ru: "гибкие ориентиры"),
        "energetic": .init(en: "energetic, inspiring", ru: "энергично, вдохновляюще"),
        "calm": .init(en: "calm, thoughtful", ru: "спокойно, вдумчиво"),
    ]
    static let patternWords: [EvolutionPattern: LocalizedText] = [
        .increasing: .init(en: "rising", ru: "растёт"),
        .decreasing: .init(en: "falling", ru: "снижается"),
        .stable: .init(en: "stable", ru: "стабильно"),
        .oscillating: .init(en: "changing back and forth", ru: "колеблется"),
    ]

    public static func render(_ snapshot: ProfileSnapshotReady, language: Language) -> String {
        let profile = snapshot.profile
        let l = language
        var lines = [
            LocalizedText(
                en: "Your profile (\(profile.answersAnalyzed) answers analysed)",
                ru: "Ваш профиль (проанализировано ответов: \(profile.answersAnalyzed))")[l],
            LocalizedText(en: "Big Five:", ru: "Большая пятёрка:")[l],
        ]
        for trait in BigFiveTrait.allCases {
            let name = traitNames[trait]?[l] ?? trait.rawValue
            guard let score = profile.bigFive[trait.rawValue] else {
                lines.append("  \(name): " + LocalizedText(en: "not enough data yet", ru: "пока мало данных")[l])
                continue
            }
            let confidence = LocalizedText(en: "confidence", ru: "уверенность")[l]
            lines.append(
                "  \(name): \(bar(score.value)) \(percent(score.value)) (\(confidence) \(percent(score.confidence)))")
        }
        let style = snapshot.style
        let styleText = [style.approach.rawValue, style.format.rawValue, style.tone.rawValue]
            .compactMap { styleWords[$0]?[l] }.joined(separator: " · ")
        lines.append(LocalizedText(en: "Coaching style: ", ru: "Стиль коучинга: ")[l] + styleText)
        if let signature = profile.signature {
            lines.append(
                LocalizedText(en: "Signature: ", ru: "Подпись: ")[l]
                    + "\(signature.thinkingStyle) · \(signature.decisionPattern) · \(signature.energyRhythm)")
        }
        if !snapshot.patterns.isEmpty {
            lines.append(LocalizedText(en: "Changes over time:", ru: "Изменения со временем:")[l])
            for pattern in snapshot.patterns {
                let name =
                    BigFiveTrait(rawValue: pattern.trait.name).flatMap { traitNames[$0]?[l] } ?? pattern.trait.name
                let word = patternWords[pattern.pattern]?[l] ?? pattern.pattern.rawValue
                lines.append("  \(name): \(word) (\(percent(pattern.strength)))")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func bar(_ value: Double) -> String {
        let filled = Int((min(1, max(0, value)) * 10).rounded())
        return String(repeating: "█", count: filled) + String(repeating: "░", count: 10 - filled)
    }

    static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}
