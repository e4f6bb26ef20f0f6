/// What Selfology says to a person who may be in danger. Calm, direct, no coaching, resources first.
/// Written for Selfology in both languages.
public enum SafetyTexts {
    static let opening: [CrisisCategory: LocalizedText] = [
        .suicidalIntent: .init(
            en: "Thank you for telling me. What you wrote sounds really serious, and your life matters.",
            ru: "Спасибо, что написали мне об этом. То, что вы описываете, очень серьёзно, и ваша жизнь важна."),
        .selfHarm: .init(
            en: "Thank you for telling me. You deserve care, not more pain.",
            ru: "Спасибо, что рассказали. Вы заслуживаете заботы, а не новой боли."),
        .harmToOthers: .init(
            en: "Thank you for being honest about this. Right now the most important thing is that nobody gets hurt, "
                + "you included. If you can, put distance between yourself and the person or anything you could use.",
            ru: "Спасибо за честность. Сейчас самое важное — чтобы никто не пострадал, и вы тоже. Если можете, "
                + "отойдите от этого человека и уберите подальше то, чем можно навредить."),
        .acuteAbuse: .init(
            en: "Thank you for telling me. What is happening to you is not your fault, and you deserve to be safe.",
            ru:
                "Спасибо, что рассказали. В том, что с вами происходит, нет вашей вины, и вы имеете право на безопасность."
        ),
    ]

    static let help = LocalizedText(
        en: "I am a coaching bot and I cannot keep you safe, but people at these services can, and they are there "
            + "to talk right now:",
        ru: "Я бот-коуч и не могу обеспечить вашу безопасность, но люди в этих службах могут, и с ними можно "
            + "поговорить прямо сейчас:")
    static let closing = LocalizedText(
        en: "If you are in immediate danger, call your local emergency number now. I have paused the questions. "
            + "I am here if you want to write to me.",
        ru: "Если вам угрожает непосредственная опасность, сразу звоните в экстренные службы. Я приостановил "
            + "вопросы. Я здесь, если захотите мне написать.")
    public static let followUp = LocalizedText(
        en: "I am still here. Please reach out to one of the services above; they can help in a way I cannot. "
            + "When you feel ready, /resume continues the questions.",
        ru: "Я по-прежнему здесь. Пожалуйста, обратитесь в одну из служб выше: они могут помочь так, как я не могу. "
            + "Когда будете готовы, /resume продолжит вопросы.")

    /// The whole reply to a crisis message.
    public static func reply(to categories: [CrisisCategory], language: Language, policy: SafetyPolicy) -> String {
        let first = categories.first.flatMap { opening[$0] } ?? opening[.suicidalIntent]
        return [
            first?[language] ?? "", help[language],
            policy.resources.text(for: language, country: policy.country), closing[language],
        ].joined(separator: "\n\n")
    }
}
