/// How much an answer gives to work with, 0...1: its length, concrete detail, self-reference and feeling words.
public enum AnswerQuality {
    /// Words at which the length part of the score saturates.
    static let fullLengthWords = 40.0

    static let selfReference: [Language: Set<String>] = [
        .en: ["i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself"],
        .ru: [
            "я", "меня", "мне", "мной", "мой", "моя", "мое", "мои", "моего", "моей", "моих", "себя", "себе", "сам",
            "сама",
        ],
    ]

    /// Words that usually introduce a concrete example or circumstance.
    static let specificityMarkers: [Language: Set<String>] = [
        .en: ["when", "because", "example", "instance", "once", "yesterday", "last", "after", "before", "since"],
        .ru: ["когда", "потому", "например", "однажды", "вчера", "после", "перед", "прошлом", "прошлой", "поэтому"],
    ]

    public static func score(tokens: [String], emotionWords: Int, language: Language) -> Double {
        guard !tokens.isEmpty else { return 0 }
        let words = Double(tokens.count)
        let length = min(1, words / fullLengthWords)
        let selfWords = Double(tokens.filter { selfReference[language]?.contains($0) ?? false }.count)
        let selfPart = min(1, selfWords / 2)
        let markers = Double(tokens.filter { specificityMarkers[language]?.contains($0) ?? false }.count)
        let digits = tokens.contains { $0.first?.isNumber ?? false } ? 1.0 : 0.0
        let specificity = min(1, (markers + digits) / 2)
        let feeling = min(1, Double(emotionWords) / 2)
        let score = 0.4 * length + 0.2 * specificity + 0.2 * selfPart + 0.2 * feeling
        return (score * 1000).rounded() / 1000
    }
}
