/// The local coach's words, written for Selfology in both languages.
enum CoachPhrases {
    static func reflection(valence: Double, emotion: Emotion?, variant: Int) -> LocalizedText {
        let options: [LocalizedText]
        switch (emotion, valence) {
        case (.some(.tiredness), _):
            options = [.init(en: "It sounds like you are worn out.", ru: "Похоже, вы очень устали.")]
        case (.some(.anxiety), _), (.some(.fear), _):
            options = [
                .init(
                    en: "I hear worry in this, and it makes sense that it weighs on you.",
                    ru: "Я слышу в этом тревогу, и понятно, что она давит.")
            ]
        case (.some(.anger), _):
            options = [
                .init(
                    en: "Something here clearly crossed a line for you.",
                    ru: "Похоже, здесь задето что-то действительно важное для вас.")
            ]
        case (.some(.loneliness), _):
            options = [.init(en: "Feeling alone with this is hard.", ru: "Оставаться с этим одному тяжело.")]
        case (_, let value) where value < -0.2:
            options = [
                .init(en: "That sounds difficult.", ru: "Звучит непросто."),
                .init(en: "I can hear this is weighing on you.", ru: "Слышу, что это на вас давит."),
            ]
        case (_, let value) where value > 0.2:
            options = [
                .init(en: "I can hear some good energy in this.", ru: "Я слышу в этом хорошую энергию."),
                .init(en: "That sounds like something worth building on.", ru: "Похоже, на это можно опереться."),
            ]
        default:
            options = [
                .init(en: "Thank you for sharing this.", ru: "Спасибо, что поделились."),
                .init(en: "I am following you.", ru: "Я вас слушаю."),
            ]
        }
        return options[variant % options.count]
    }

    static func step(topic: TopicDetector.Topic, style: CoachingStyle) -> LocalizedText {
        let steps = style.approach == .creativeMetaphors ? creativeSteps : practicalSteps
        let body = steps[topic] ?? steps[.general] ?? fallbackStep
        let lead: LocalizedText =
            switch (style.tone, style.format) {
            case (.energetic, .structuredPlans):
                .init(en: "Here is a plan for today — step one:", ru: "Вот план на сегодня, шаг первый:")
            case (.energetic, .flexibleGuidance):
                .init(en: "Here is something you could try right away:", ru: "Вот что можно попробовать прямо сейчас:")
            case (.calm, .structuredPlans): .init(en: "One small, clear step:", ru: "Один небольшой и понятный шаг:")
            case (.calm, .flexibleGuidance):
                .init(en: "One gentle idea, if it fits:", ru: "Одна мягкая идея, если подойдёт:")
            }
        return .init(en: "\(lead.en) \(body.en)", ru: "\(lead.ru) \(body.ru)")
    }

    static let fallbackStep = LocalizedText(
        en: "notice one thing that went well today.", ru: "заметьте одну вещь, которая сегодня получилась.")

    static let practicalSteps: [TopicDetector.Topic: LocalizedText] = [
        .work: .init(
            en: "write down the one task that would make tomorrow lighter and give it 25 focused minutes.",
            ru: "запишите одну задачу, которая облегчит завтрашний день, и уделите ей 25 минут без отвлечений."),
        .relationships: .init(
            en: "choose one sentence you want the other person to really hear, and say only that.",
            ru: "выберите одну фразу, которую вам важно донести до человека, и скажите только её."),
        .health: .init(
            en: "pick a fixed time to go to bed tonight and set a reminder 30 minutes before it.",
            ru: "выберите время отхода ко сну на сегодня и поставьте напоминание за 30 минут."),
        .money: .init(
            en: "list this week's three biggest expenses and mark the one you feel best about.",
            ru: "выпишите три самые крупные траты недели и отметьте ту, о которой не жалеете."),
        .stress: .init(
            en:
                "breathe out slowly for twice as long as you breathe in, five times, then name what is in your control.",
            ru: "сделайте пять медленных выдохов, вдвое длиннее вдоха, и назовите, что сейчас в вашей власти."),
        .goals: .init(
            en: "make the goal small enough to start in ten minutes, and put those ten minutes in your calendar.",
            ru: "уменьшите цель до шага, который можно начать за десять минут, и внесите эти минуты в календарь."),
        .general: .init(
            en: "write three lines about what you need most right now, without editing them.",
            ru: "напишите три строки о том, что вам сейчас нужнее всего, не исправляя их."),
    ]

    static let creativeSteps: [TopicDetector.Topic: LocalizedText] = [
        .work: .init(
            en: "imagine your week as a backpack: what could you take out so the climb feels lighter?",
            ru: "представьте свою неделю как рюкзак: что можно из него вынуть, чтобы подъём стал легче?"),
        .relationships: .init(
            en: "picture the relationship as a bridge: which plank needs attention first?",
            ru: "представьте эти отношения как мост: какая доска требует внимания первой?"),
        .health: .init(
            en: "treat your body like a garden for one evening: what would it need watered tonight?",
            ru: "на один вечер отнеситесь к телу как к саду: что ему нужно полить сегодня?"),
        .money: .init(
            en: "think of money as a river through your month: where does it flow to what you value?",
            ru: "представьте деньги как реку, текущую через ваш месяц: где она питает то, что вам дорого?"),
        .stress: .init(
            en:
                "imagine the worry as weather passing over a mountain: you are the mountain. What does the mountain notice?",
            ru: "представьте тревогу как погоду над горой, а себя — горой. Что замечает гора?"),
        .goals: .init(
            en: "draw the goal as a path with one stone you can step on today.",
            ru: "нарисуйте цель как тропу, на которой есть один камень, на который можно ступить уже сегодня."),
        .general: .init(
            en:
                "give this situation a title, as if it were a chapter of a book. What would the next chapter be called?",
            ru: "дайте этой ситуации название, как главе книги. Как бы называлась следующая глава?"),
    ]

    /// One sentence that fits the step to what the profile knows about how this person copes, learns and connects.
    static func personalTouch(profile: PersonalityProfile, topic: TopicDetector.Topic) -> LocalizedText? {
        let stress = profile.adaptiveTraits["stress_response"]?.label
        let learning = profile.adaptiveTraits["learning_style"]?.label
        let extraversion = profile.value(of: .extraversion) ?? 0.5
        switch (topic, stress, learning) {
        case (.stress, "avoidant", _):
            return .init(
                en: "You mentioned that you tend to step away from stress; a ten-minute dose of facing it is enough.",
                ru: "Вы говорили, что склонны уходить от стресса; достаточно встретиться с ним на десять минут.")
        case (.stress, "support_seeking", _):
            return .init(
                en: "Talking helps you, so tell one person you trust how today went.",
                ru: "Вам помогает разговор, поэтому расскажите одному близкому человеку, как прошёл день.")
        case (.work, _, "experiential"), (.goals, _, "experiential"):
            return .init(
                en: "You learn by doing, so try it once before planning any further.",
                ru: "Вы учитесь на практике, поэтому попробуйте один раз, прежде чем планировать дальше.")
        case (.work, _, "reflective"), (.goals, _, "reflective"):
            return .init(
                en: "You learn by thinking things through, so give yourself ten quiet minutes with a notebook first.",
                ru: "Вы учитесь, обдумывая, поэтому сначала дайте себе десять спокойных минут с блокнотом.")
        case (.relationships, _, _) where extraversion > CoachingStyle.threshold,
            (.general, _, _) where extraversion > CoachingStyle.threshold:
            return .init(
                en: "People give you energy, so share this with someone today.",
                ru: "Люди дают вам энергию, поэтому поделитесь этим с кем-нибудь сегодня.")
        default:
            return nil
        }
    }

    static func question(topic: TopicDetector.Topic, variant: Int) -> LocalizedText {
        let options: [LocalizedText] =
            switch topic {
            case .work: [.init(en: "What part of this matters most to you?", ru: "Что в этом для вас важнее всего?")]
            case .relationships:
                [
                    .init(
                        en: "What would you like this relationship to feel like?",
                        ru: "Какими вы хотели бы видеть эти отношения?")
                ]
            case .health:
                [
                    .init(
                        en: "What does your body seem to be asking for?",
                        ru: "О чём, как вам кажется, просит ваше тело?")
                ]
            case .money:
                [
                    .init(
                        en: "What would feeling secure with money look like for you?",
                        ru: "Как для вас выглядела бы уверенность в деньгах?")
                ]
            case .stress:
                [
                    .init(
                        en: "What usually helps you, even a little, when it gets like this?",
                        ru: "Что обычно хоть немного помогает вам, когда становится так?")
                ]
            case .goals:
                [.init(en: "How will you know you have made progress?", ru: "По чему вы поймёте, что продвинулись?")]
            case .general:
                [
                    .init(
                        en: "What would you like to be different a week from now?",
                        ru: "Что бы вы хотели, чтобы изменилось через неделю?"),
                    .init(
                        en: "What feels most important about this right now?",
                        ru: "Что в этом сейчас кажется самым важным?"),
                ]
            }
        return options[variant % options.count]
    }
}
