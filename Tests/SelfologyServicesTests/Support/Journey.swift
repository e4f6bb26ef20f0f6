import SelfologyCore

/// Answers whatever Selfology asks, as a person would: a number for statements, a sentence otherwise.
enum Journey {
    static let sentences = [
        "I love long walks in the forest with my dog, it makes me calm and grateful.",
        "At work I enjoy solving hard problems because it gives me energy.",
        "I often feel anxious when I think about money and the future.",
        "My friends are very important to me, I call them every week.",
        "When I was a child I was shy, now I speak up more often.",
        "I want to learn to rest without feeling guilty about it.",
    ]

    /// The reply to the last question in `messages`, or nil if no question is pending.
    static func answer(to messages: [OutgoingMessage], turn: Int) -> String? {
        guard let question = messages.last(where: { $0.text.hasPrefix("Question ") || $0.text.hasPrefix("Вопрос ") })
        else { return nil }
        if !question.buttons.isEmpty { return String(turn % 5 + 1) }
        return sentences[turn % sentences.count]
    }
}
