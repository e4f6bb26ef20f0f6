/// The short, warm sentences of instant feedback. Written for Selfology in both languages.
enum InsightPhrases {
    static func scale(_ value: Int, _ language: Language) -> String {
        let phrases = LocalizedText(
            en: "Noted. Quick answers like this sharpen the picture.",
            ru: "Записано. Такие быстрые ответы делают картину точнее.")
        return phrases[language]
    }

    static func instant(valence: Double, emotion: Emotion?, quality: Double, variant: Int, language: Language)
        -> String
    {
        let options: [LocalizedText]
        if quality < 0.2 {
            options = brief
        } else if let emotion, let phrases = byEmotion[emotion] {
            options = phrases
        } else if valence > 0.25 {
            options = positive
        } else if valence < -0.25 {
            options = difficult
        } else {
            options = reflective
        }
        return options[variant % options.count][language]
    }

    static let brief: [LocalizedText] = [
        .init(
            en: "Thank you. Even a few words tell me something.",
            ru: "Спасибо. Даже несколько слов о многом говорят."),
        .init(
            en: "Got it. If anything more comes to mind later, it is welcome.",
            ru: "Понятно. Если позже вспомнится что-то ещё, это тоже ценно."),
    ]
    static let positive: [LocalizedText] = [
        .init(
            en: "There is real warmth in how you describe this.",
            ru: "В том, как вы это описываете, чувствуется тепло."),
        .init(
            en: "It sounds like this gives you energy. Worth remembering.",
            ru: "Похоже, это даёт вам силы. Это стоит запомнить."),
    ]
    static let difficult: [LocalizedText] = [
        .init(
            en: "That sounds hard. Thank you for putting it into words.",
            ru: "Звучит непросто. Спасибо, что нашли для этого слова."),
        .init(
            en: "It takes courage to look at this honestly.",
            ru: "Чтобы честно посмотреть на это, нужна смелость."),
    ]
    static let reflective: [LocalizedText] = [
        .init(
            en: "You see this clearly. That kind of self-knowledge is a strength.",
            ru: "Вы ясно это видите. Такое знание себя — сильная сторона."),
        .init(
            en: "Interesting. There is more than one layer in what you wrote.",
            ru: "Интересно. В том, что вы написали, есть несколько слоёв."),
    ]
    static let byEmotion: [Emotion: [LocalizedText]] = [
        .joy: [.init(en: "I can hear the joy in this.", ru: "В этом слышна радость.")],
        .gratitude: [
            .init(
                en: "Gratitude shows up in your words. That is a resource.",
                ru: "В ваших словах есть благодарность. Это ресурс.")
        ],
        .pride: [.init(en: "You have every right to be proud of this.", ru: "Вы вправе этим гордиться.")],
        .hope: [.init(en: "There is hope in what you describe.", ru: "В том, что вы описываете, есть надежда.")],
        .love: [.init(en: "Clearly this matters a lot to you.", ru: "Видно, что это очень для вас важно.")],
        .calm: [.init(en: "There is a calm steadiness in this answer.", ru: "В этом ответе чувствуется спокойствие.")],
        .sadness: [
            .init(
                en: "There is sadness here, and it makes sense to feel it.",
                ru: "Здесь есть грусть, и её естественно чувствовать.")
        ],
        .anger: [
            .init(
                en: "Anger often points to something important being crossed.",
                ru: "Злость часто указывает на то, что задето что-то важное.")
        ],
        .fear: [
            .init(
                en: "Fear is part of this, and naming it already helps.",
                ru: "Здесь есть страх, и назвать его — уже шаг.")
        ],
        .anxiety: [
            .init(
                en: "Worry shows through. You do not have to solve it all at once.",
                ru: "Чувствуется тревога. Не обязательно решать всё сразу.")
        ],
        .shame: [
            .init(
                en: "Speaking about this is not easy. Thank you for trusting me with it.",
                ru: "Говорить об этом нелегко. Спасибо за доверие.")
        ],
        .guilt: [
            .init(
                en: "Guilt can be a sign of how much you care.",
                ru: "Чувство вины бывает знаком того, как сильно вам не всё равно.")
        ],
        .loneliness: [
            .init(
                en: "Feeling alone with this is heavy. You are not alone in this conversation.",
                ru: "Быть с этим одному тяжело. В этом разговоре вы не одни.")
        ],
        .tiredness: [
            .init(
                en: "It sounds like you are running low on energy. Go gently.",
                ru: "Похоже, сил сейчас немного. Берегите себя.")
        ],
    ]
}
