/// Finds what a message is about, so the coach's small step fits it. Stems, matched as token prefixes.
public enum TopicDetector {
    public enum Topic: String, Sendable, CaseIterable {
        case work, relationships, health, money, stress, goals, general
    }

    static let stems: [Topic: [String]] = [
        .work: [
            "work", "job", "boss", "career", "colleague", "project", "deadline", "office",
            "работ", "начальн", "карьер", "коллег", "проект", "дедлайн", "офис", "должност",
        ],
        .relationships: [
            "friend", "partner", "wife", "husband", "girlfriend", "boyfriend", "mother", "father",
            "mom", "dad", "family", "relationship", "parent",
            "друг", "друз", "подруг", "партнер", "жена", "муж", "мама", "мать", "папа", "отец",
            "семь", "отношени", "родител",
        ],
        .health: [
            "sleep", "tired", "health", "sport", "exercise", "eat", "body", "sick",
            "сон", "сплю", "спать", "здоров", "спорт", "трениров", "еда", "тело", "болею", "устал",
        ],
        .money: [
            "money", "salary", "debt", "budget", "spend", "save", "income",
            "деньг", "зарплат", "долг", "бюджет", "трат", "доход", "накоп",
        ],
        .stress: [
            "stress", "anxious", "anxiety", "worry", "overwhelm", "panic", "nervous",
            "стресс", "тревог", "волну", "беспоко", "паник", "нерв",
        ],
        .goals: [
            "goal", "plan", "future", "dream", "want", "change", "habit",
            "цель", "цели", "план", "будущ", "мечт", "хочу", "измен", "привычк",
        ],
    ]

    public static func topic(of text: String) -> Topic {
        let tokens = Tokenizer.tokens(text)
        var best: (Topic, Int) = (.general, 0)
        for topic in Topic.allCases where topic != .general {
            let hits = tokens.filter { token in stems[topic]?.contains { token.hasPrefix($0) } ?? false }.count
            if hits > best.1 { best = (topic, hits) }
        }
        return best.0
    }
}
