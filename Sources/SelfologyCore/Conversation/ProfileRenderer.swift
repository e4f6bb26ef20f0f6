/// Turns a profile snapshot into the text a person reads after /profile.
public enum ProfileRenderer {
    static let traitNames: [BigFiveTrait: LocalizedText] = [
        .openness: .init(en: "Openness", ru: "Открытость опыту"),
        .conscientiousness: .init(en: "Conscientiousness", ru: "Добросовестность"),
        .extraversion: .init(en: "Extraversion", ru: "Экстраверсия"),
        .agreeableness: .init(en: "Agreeableness", ru: "Доброжелательность"),
        .neuroticism: .init(en: "Emotional sensitivity", ru: "Эмоциональная чувствительность"),
    ]
    static let dynamicsNames: [String: LocalizedText] = [
        "self_awareness": .init(en: "Self-awareness", ru: "Осознанность"),
        "emotional_regulation": .init(en: "Emotional regulation", ru: "Управление эмоциями"),
        "motivation": .init(en: "Motivation", ru: "Мотивация"),
        "resilience": .init(en: "Resilience", ru: "Устойчивость"),
    ]
    static let adaptiveNames: [String: LocalizedText] = [
        "learning_style": .init(en: "Learning", ru: "Обучение"),
        "stress_response": .init(en: "Under stress", ru: "В стрессе"),
        "decision_pattern": .init(en: "Decisions", ru: "Решения"),
    ]
    static let labelWords: [String: LocalizedText] = [
        "experiential": .init(en: "by doing", ru: "через практику"),
        "reflective": .init(en: "by thinking it through", ru: "через размышление"),
        "social": .init(en: "with others", ru: "вместе с другими"),
        "visual": .init(en: "by seeing", ru: "через образы"),
        "problem_focused": .init(en: "tackles the problem", ru: "решает проблему"),
        "emotion_focused": .init(en: "works through feelings", ru: "проживает чувства"),
        "support_seeking": .init(en: "seeks support", ru: "ищет поддержку"),
        "avoidant": .init(en: "steps away", ru: "отстраняется"),
        "analytical": .init(en: "analytical", ru: "аналитически"),
        "intuitive": .init(en: "intuitive", ru: "интуитивно"),
        "consultative": .init(en: "asks others", ru: "советуясь"),
        "spontaneous": .init(en: "spontaneous", ru: "спонтанно"),
    ]
    static let domainNames: [String: LocalizedText] = [
        "IDENTITY": .init(en: "identity", ru: "личность"), "EMOTIONS": .init(en: "emotions", ru: "эмоции"),
        "RELATIONSHIPS": .init(en: "relationships", ru: "отношения"), "WORK": .init(en: "work", ru: "работа"),
        "MONEY": .init(en: "money", ru: "деньги"), "HEALTH": .init(en: "health", ru: "здоровье"),
        "CREATIVITY": .init(en: "creativity", ru: "творчество"),
        "SPIRITUALITY": .init(en: "spirituality", ru: "духовность"),
        "PAST": .init(en: "the past", ru: "прошлое"), "FUTURE": .init(en: "the future", ru: "будущее"),
        "LIFESTYLE": .init(en: "lifestyle", ru: "образ жизни"), "THOUGHTS": .init(en: "thoughts", ru: "мысли"),
    ]
    /// Evolution patterns shown at most, strongest first.
    static let patternsShown = 5

    static func name(of trait: TraitKey, _ language: Language) -> String {
        switch trait.category {
        case .bigFive: BigFiveTrait(rawValue: trait.name).flatMap { traitNames[$0]?[language] } ?? trait.name
        case .coreDynamics: dynamicsNames[trait.name]?[language] ?? trait.name
        case .adaptiveTraits: adaptiveNames[trait.name]?[language] ?? trait.name
        case .domainAffinities: domainNames[trait.name]?[language] ?? trait.name
        }
    }

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
        let dynamics = profile.coreDynamics.sorted { $0.key < $1.key }.compactMap { key, score in
            dynamicsNames[key].map { "\($0[l]) \(percent(score.value))" }
        }
        if !dynamics.isEmpty {
            lines.append(
                LocalizedText(en: "Core dynamics: ", ru: "Внутренняя динамика: ")[l] + dynamics.joined(separator: ", "))
        }
        let adaptive = profile.adaptiveTraits.sorted { $0.key < $1.key }.compactMap { key, score -> String? in
            guard let label = score.label, let word = labelWords[label]?[l], let name = adaptiveNames[key]?[l] else {
                return nil
            }
            return "\(name): \(word)"
        }
        if !adaptive.isEmpty {
            lines.append(
                LocalizedText(en: "Ways of coping: ", ru: "Привычные способы: ")[l] + adaptive.joined(separator: ", "))
        }
        let domains = profile.domainAffinities.sorted { $0.value.value > $1.value.value }.prefix(3).compactMap {
            domainNames[$0.key]?[l]
        }
        if !domains.isEmpty {
            lines.append(
                LocalizedText(en: "Most engaged with: ", ru: "Больше всего откликается: ")[l]
                    + domains.joined(separator: ", "))
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
            for pattern in snapshot.patterns.sorted(by: { $0.strength > $1.strength }).prefix(patternsShown) {
                let word = patternWords[pattern.pattern]?[l] ?? pattern.pattern.rawValue
                lines.append("  \(name(of: pattern.trait, l)): \(word) (\(percent(pattern.strength)))")
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
