/// Turns cue hits into weak trait evidence, named patterns and a short insight.
enum CueEvidence {
    /// Each net cue moves the estimate this far from the midpoint.
    static let stepPerCue = 0.12
    static let confidencePerCue = 0.15
    static let maxConfidence = 0.5

    static func evidence(from hits: [TraitCueLexicon.Hit]) -> [TraitEvidence] {
        var numeric: [TraitKey: (net: Int, count: Int, terms: [String])] = [:]
        var labels: [TraitKey: [String: (count: Int, terms: [String])]] = [:]
        for hit in hits {
            if let label = hit.label {
                var entry = labels[hit.trait, default: [:]][label] ?? (0, [])
                entry.count += 1
                entry.terms.append(hit.term)
                labels[hit.trait, default: [:]][label] = entry
            } else if let direction = hit.direction {
                var entry = numeric[hit.trait] ?? (0, 0, [])
                entry.net += direction
                entry.count += 1
                entry.terms.append(hit.term)
                numeric[hit.trait] = entry
            }
        }
        let values = numeric.sorted { $0.key.description < $1.key.description }.compactMap {
            key, entry -> TraitEvidence? in
            guard entry.net != 0 else { return nil }  // mixed signals say nothing
            return TraitEvidence(
                trait: key, value: min(0.9, max(0.1, 0.5 + stepPerCue * Double(entry.net))),
                confidence: min(maxConfidence, confidencePerCue * Double(entry.count)), source: .textCue,
                reference: "cues: " + entry.terms.prefix(4).joined(separator: ", "))
        }
        let styles = labels.sorted { $0.key.description < $1.key.description }.compactMap {
            key, votes -> TraitEvidence? in
            guard
                let best = votes.max(by: {
                    $0.value.count == $1.value.count ? $0.key > $1.key : $0.value.count < $1.value.count
                })
            else { return nil }
            return TraitEvidence(
                trait: key, value: 0.5, label: best.key,
                confidence: min(maxConfidence, confidencePerCue * Double(best.value.count)), source: .textCue,
                reference: "cues: " + best.value.terms.prefix(4).joined(separator: ", "))
        }
        return values + styles
    }

    /// Named patterns for strong signals (two or more cues the same way).
    static let patternNames: [String: (high: String, low: String)] = [
        "big_five/openness": ("seeks_novelty", "prefers_familiar"),
        "big_five/conscientiousness": ("plans_ahead", "goes_with_the_flow"),
        "big_five/extraversion": ("people_energised", "recharges_alone"),
        "big_five/agreeableness": ("caring", "competitive"),
        "big_five/neuroticism": ("worry_prone", "even_tempered"),
        "core_dynamics/resilience": ("bounces_back", "feels_stuck"),
        "core_dynamics/motivation": ("goal_driven", "low_drive"),
    ]

    static func net(_ hits: [TraitCueLexicon.Hit]) -> [String: Int] {
        var net: [String: Int] = [:]
        for hit in hits { if let direction = hit.direction { net[hit.trait.description, default: 0] += direction } }
        return net
    }

    static func patterns(from hits: [TraitCueLexicon.Hit]) -> [String] {
        net(hits).sorted { $0.key < $1.key }.compactMap { key, value in
            guard abs(value) >= 2, let names = patternNames[key] else { return nil }
            return value > 0 ? names.high : names.low
        }
    }

    static let insights: [String: LocalizedText] = [
        "plans_ahead": .init(
            en: "You tend to bring order and a plan to what you do.",
            ru: "Вы склонны вносить порядок и план в то, что делаете."),
        "seeks_novelty": .init(
            en: "New ideas and experiences seem to draw you in.",
            ru: "Похоже, вас притягивают новые идеи и впечатления."),
        "people_energised": .init(
            en: "Being with people seems to give you energy.", ru: "Похоже, общение с людьми даёт вам энергию."),
        "recharges_alone": .init(
            en: "Time on your own seems to be how you recharge.", ru: "Похоже, вы восстанавливаетесь наедине с собой."),
        "caring": .init(
            en: "Care for others runs through how you describe things.", ru: "В ваших словах заметна забота о других."),
        "worry_prone": .init(
            en: "Worry seems to take up a good part of your attention.",
            ru: "Похоже, тревога занимает заметную часть вашего внимания."),
        "bounces_back": .init(
            en: "You describe finding your way back after hard moments.",
            ru: "Вы описываете, как находите путь обратно после трудных моментов."),
        "goal_driven": .init(
            en: "You speak about what you want with clear drive.",
            ru: "Вы говорите о том, чего хотите, с явной целеустремлённостью."),
    ]

    static func insight(from hits: [TraitCueLexicon.Hit], language: Language) -> String? {
        patterns(from: hits).lazy.compactMap { insights[$0]?[language] }.first
    }
}
