/// Recognises a person saying they are tired of the questions ("tired", "enough", "устал", "хватит").
///
/// Only short answers count: "I'm tired all the time lately" answers a question about energy, while "tired,
/// later" is about this conversation.
public enum FatigueCue {
    static let maxWords = 8
    static let stems: [Language: [String]] = [
        .en: ["tired", "exhausted", "drained", "sleepy", "bored", "enough", "worn", "later"],
        .ru: ["устал", "утомил", "надоел", "хватит", "вымотал", "скучн", "выдохл", "потом", "спать"],
    ]

    public static func saysTired(_ text: String, language: Language) -> Bool {
        let tokens = Tokenizer.tokens(text)
        guard !tokens.isEmpty, tokens.count <= maxWords, let stems = stems[language] else { return false }
        return tokens.contains { token in stems.contains { token.hasPrefix($0) } }
    }
}
