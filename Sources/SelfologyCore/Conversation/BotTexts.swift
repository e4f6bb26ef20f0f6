/// Everything the bot says outside questions, feedback and coaching. Written for Selfology in both languages.
public enum BotTexts {
    public static let welcome = LocalizedText(
        en: "Hi, I am Selfology, a coach for getting to know yourself. I will ask you some questions, one at a time, "
            + "reflect back what I notice, and build a picture of your personality that we can then work with.",
        ru: "Привет, я Selfology — коуч, который помогает лучше узнать себя. Я буду задавать вопросы по одному, "
            + "делиться тем, что замечаю, и постепенно соберу картину вашей личности, с которой потом можно работать.")
    public static let consentPrompt = LocalizedText(
        en: "To do this I need to store your answers and the profile built from them. They are used only to coach "
            + "you, never shown to anyone else, and never written to logs. You can delete everything at any time with "
            + "/forget. Do you agree? (yes / no)",
        ru: "Для этого мне нужно сохранять ваши ответы и профиль, построенный на них. Они используются только для "
            + "работы с вами, никому не показываются и не попадают в журналы. Удалить всё можно в любой момент командой "
            + "/forget. Вы согласны? (да / нет)")
    public static let consentYes = LocalizedText(en: "Yes, I agree", ru: "Да, согласен(на)")
    public static let consentNo = LocalizedText(en: "No", ru: "Нет")
    public static let consentAccepted = LocalizedText(
        en: "Thank you. Let's begin — there are no right or wrong answers. Type /help any time.",
        ru: "Спасибо. Начнём — правильных и неправильных ответов здесь нет. Команда /help доступна в любой момент.")
    public static let consentDeclined = LocalizedText(
        en: "Understood. I have stored nothing about you. If you change your mind, send /start.",
        ru: "Понятно. Я ничего о вас не сохранил. Если передумаете, отправьте /start.")
    public static let consentUnclear = LocalizedText(
        en: "Please answer yes or no, so I know whether I may store your answers.",
        ru: "Пожалуйста, ответьте «да» или «нет», чтобы я знал, можно ли сохранять ваши ответы.")
    public static let startFirst = LocalizedText(
        en: "Send /start to begin.", ru: "Отправьте /start, чтобы начать.")
    public static let help = LocalizedText(
        en: """
            Commands:
            /start — begin or continue
            /profile — your personality profile so far
            /pause — pause the questions, /resume — continue
            /skip — skip the current question
            /end — finish the questions now
            /language en|ru — change language
            /mydata — a copy of everything I keep about you, as a file
            /forget — delete everything I keep about you
            Answer questions in your own words; for statements, reply with a number from 1 to 5.
            """,
        ru: """
            Команды:
            /start — начать или продолжить
            /profile — ваш профиль личности на данный момент
            /pause — приостановить вопросы, /resume — продолжить
            /skip — пропустить текущий вопрос
            /end — закончить вопросы сейчас
            /language en|ru — сменить язык
            /mydata — копия всего, что я о вас храню, одним файлом
            /forget — удалить всё, что я о вас храню
            На вопросы отвечайте своими словами; на утверждения — числом от 1 до 5.
            """)
    public static let scaleHint = LocalizedText(
        en: "1 — strongly disagree, 2 — disagree, 3 — neutral, 4 — agree, 5 — strongly agree",
        ru: "1 — совсем не согласен(на), 2 — скорее нет, 3 — нейтрально, 4 — скорее да, 5 — полностью согласен(на)")
    public static let scaleInvalid = LocalizedText(
        en: "Please reply with a single number from 1 to 5 (or /skip).",
        ru: "Пожалуйста, ответьте одним числом от 1 до 5 (или /skip).")
    public static let answerEmpty = LocalizedText(
        en: "I did not catch any words. Write a few, or /skip this question.",
        ru: "Я не увидел ни слова. Напишите хотя бы несколько или пропустите вопрос командой /skip.")
    public static let preparingQuestion = LocalizedText(
        en: "One moment, I am choosing your next question.", ru: "Секунду, подбираю следующий вопрос.")
    public static let stillProcessing = LocalizedText(
        en: "I am still taking in your last answer; the next question is on its way.",
        ru: "Я ещё обдумываю ваш прошлый ответ; следующий вопрос уже в пути.")
    public static let paused = LocalizedText(
        en: "Paused. Your answers are saved. Send /resume when you want to continue.",
        ru: "Пауза. Ваши ответы сохранены. Отправьте /resume, когда захотите продолжить.")
    public static let pausedReminder = LocalizedText(
        en: "We are on a pause. Send /resume to continue the questions.",
        ru: "Сейчас пауза. Отправьте /resume, чтобы продолжить вопросы.")
    public static let timedOut = LocalizedText(
        en: "We stopped for a while, so I paused the questions. Send /resume to pick up where we left off.",
        ru:
            "Мы надолго прервались, поэтому я приостановил вопросы. Отправьте /resume, чтобы продолжить с того же места."
    )
    public static let resuming = LocalizedText(
        en: "Welcome back. Let's continue where we stopped.",
        ru: "С возвращением. Продолжим с того места, где остановились.")
    public static let notOnboarding = LocalizedText(
        en: "There are no questions in progress right now.", ru: "Сейчас нет вопросов в процессе.")
    public static let onboardingComplete = LocalizedText(
        en: "Thank you — that completes this round of questions. Here is what I see so far:",
        ru: "Спасибо — этот круг вопросов завершён. Вот что я вижу на данный момент:")
    public static let chatInvitation = LocalizedText(
        en: "From here we can talk about anything on your mind. Write to me whenever you like; "
            + "/start begins a new round of questions.",
        ru: "Дальше можно говорить о чём угодно, что вас занимает. Пишите, когда захочется; "
            + "/start начнёт новый круг вопросов.")
    public static let welcomeBack = LocalizedText(
        en: "Welcome back. Let's start a new round of questions.", ru: "С возвращением. Начнём новый круг вопросов.")
    public static let breakOffer = LocalizedText(
        en: "You have given a lot already, and it sounds like you may be getting tired. Would you like to pause "
            + "(your answers are saved), finish for today, or go on with a few lighter questions?",
        ru: "Вы уже многим поделились, и, похоже, начинаете уставать. Хотите сделать паузу (ответы сохранены), "
            + "закончить на сегодня или продолжить с несколькими вопросами полегче?")
    public static let breakPause = LocalizedText(en: "Pause", ru: "Пауза")
    public static let breakFinish = LocalizedText(en: "Finish for today", ru: "Закончить на сегодня")
    public static let breakGoOn = LocalizedText(en: "Go on", ru: "Продолжить")
    public static let breakGoingOn = LocalizedText(
        en: "Good, let's go on. I will keep the next questions lighter.",
        ru: "Хорошо, продолжим. Следующие вопросы будут полегче.")
    public static let breakUnclear = LocalizedText(
        en: "Choose pause, finish or go on.", ru: "Выберите: пауза, закончить или продолжить.")
    public static let rateLimited = LocalizedText(
        en: "You are writing faster than I can keep up with. Give me a minute, then write again; nothing is lost.",
        ru: "Вы пишете быстрее, чем я успеваю. Дайте мне минуту и напишите снова; ничего не потеряется.")
    public static let languageChanged = LocalizedText(
        en: "I will speak English from now on.", ru: "Теперь я буду говорить по-русски.")
    public static let languageUsage = LocalizedText(
        en: "Use /language en or /language ru.", ru: "Используйте /language en или /language ru.")
    public static let unknownCommand = LocalizedText(
        en: "I do not know that command. /help lists what I understand.",
        ru: "Я не знаю такой команды. Список команд — /help.")
    public static let unknownButton = LocalizedText(
        en: "That button is no longer active.", ru: "Эта кнопка больше не активна.")
    public static let erasurePrompt = LocalizedText(
        en: "This deletes everything I keep about you: your answers, your profile and how it changed, our "
            + "conversations. It cannot be undone. Delete everything?",
        ru: "Это удалит всё, что я о вас храню: ваши ответы, профиль и историю его изменений, наши разговоры. "
            + "Отменить это будет нельзя. Удалить всё?")
    public static let erasureConfirm = LocalizedText(en: "Delete everything", ru: "Удалить всё")
    public static let erasureKeep = LocalizedText(en: "Keep it", ru: "Оставить")
    public static let erasureUnclear = LocalizedText(
        en: "Shall I delete everything I keep about you? Answer yes or no.",
        ru: "Удалить всё, что я о вас храню? Ответьте «да» или «нет».")
    public static let erased = LocalizedText(
        en: "Done: everything I kept about you is deleted, and nothing of it will be used again. "
            + "If you ever want to start over, send /start.",
        ru: "Готово: всё, что я о вас хранил, удалено, и ничего из этого больше не будет использовано. "
            + "Если захотите начать заново, отправьте /start.")
    public static let erasureDeclined = LocalizedText(
        en: "Nothing was deleted. We can go on.", ru: "Ничего не удалено. Можем продолжать.")
    public static let nothingStored = LocalizedText(
        en: "I keep nothing about you: nothing is stored until you agree to it.",
        ru: "Я ничего о вас не храню: без вашего согласия ничего не сохраняется.")
    public static let dataRequested = LocalizedText(
        en: "I am gathering everything I keep about you from each part of me. It will arrive here as one file in a "
            + "moment.",
        ru: "Собираю всё, что я о вас храню, из каждой своей части. Через минуту это придёт сюда одним файлом.")
    public static let dataReady = LocalizedText(
        en: "Here is everything I keep about you: your answers, your profile and how it changed, our conversations. "
            + "The file is for you; keep it somewhere safe.",
        ru: "Вот всё, что я о вас храню: ваши ответы, профиль и история его изменений, наши разговоры. "
            + "Файл — для вас; храните его в надёжном месте.")
    public static let textOnly = LocalizedText(
        en: "I can only read text. Please put it into words; a few are enough.",
        ru: "Я понимаю только текст. Пожалуйста, напишите словами — достаточно нескольких.")

    /// The command menu a chat app shows, in the order of `ChatCommand.listed`.
    public static let commandMenu: [(command: String, description: LocalizedText)] = [
        (
            "start",
            LocalizedText(en: "Begin, or continue where we stopped", ru: "Начать или продолжить с того же места")
        ),
        ("help", LocalizedText(en: "What I can do", ru: "Что я умею")),
        ("profile", LocalizedText(en: "What I have learned about you", ru: "Что я узнал о вас")),
        ("pause", LocalizedText(en: "Pause the questions", ru: "Приостановить вопросы")),
        ("resume", LocalizedText(en: "Go on with the questions", ru: "Продолжить вопросы")),
        ("skip", LocalizedText(en: "Skip this question", ru: "Пропустить этот вопрос")),
        ("end", LocalizedText(en: "Finish the questions for now", ru: "Закончить вопросы на сегодня")),
        ("language", LocalizedText(en: "Switch language: /language en|ru", ru: "Сменить язык: /language en|ru")),
        ("mydata", LocalizedText(en: "A copy of everything I keep about you", ru: "Копия всего, что я о вас храню")),
        ("forget", LocalizedText(en: "Delete everything I keep about you", ru: "Удалить всё, что я о вас храню")),
    ]

    public static func answerTooLong(limit: Int) -> LocalizedText {
        LocalizedText(
            en: "That is longer than I can take in one message (\(limit) characters). Please shorten it a little.",
            ru: "Это длиннее, чем я могу принять в одном сообщении (\(limit) символов). Пожалуйста, сократите немного.")
    }

    public static func questionHeader(ordinal: Int, target: Int) -> LocalizedText {
        LocalizedText(en: "Question \(ordinal) of \(target)", ru: "Вопрос \(ordinal) из \(target)")
    }
}
