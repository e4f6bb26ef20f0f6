import Foundation

/// What the gateway must do after an input or an event: the new state, messages for the person, events to emit.
public struct ChatReaction: Sendable {
    public var state: ChatState
    public var replies: [OutgoingMessage]
    public var events: [any EventPayload]
    /// The person confirmed /forget: the gateway deletes what it keeps about them and emits `events` (the
    /// erasure) although the new state is one that is never stored.
    public var erasesPerson: Bool { events.contains { $0 is UserErasureRequested } }

    public init(state: ChatState, replies: [OutgoingMessage] = [], events: [any EventPayload] = []) {
        self.state = state
        self.replies = replies
        self.events = events
    }

    mutating func say(_ text: LocalizedText, buttons: [[OutgoingMessage.Button]] = []) {
        replies.append(OutgoingMessage(text[state.language], buttons: buttons))
    }
}

/// The conversation rules of the gateway as a pure state machine: the same for the terminal and for Telegram.
/// It decides what to say and which events to emit; it never stores or sends anything itself.
public enum ConversationMachine {
    /// Longest answer accepted in one message; Telegram's own limit is 4096 characters.
    public static let maxMessageLength = 4000
    /// How long /forget's question stands: a confirmation pressed on an old message deletes nothing.
    public static let erasureOfferLifetime: TimeInterval = 15 * 60
    /// A model's later reading of danger is answered briefly (`SafetyTexts.followUp`) within this time of the last
    /// reply with resources: the same list again would only pile up.
    public static let crisisRepliesApart: TimeInterval = 10 * 60

    /// - Parameter safety: every typed text is checked for crisis first, in every phase, before consent too.
    public static func handle(_ input: ChatInput, state: ChatState, now: Date, safety: SafetyPolicy) -> ChatReaction {
        handle(input, screened: screen(input, safety: safety), state: state, now: now, safety: safety)
    }

    /// The crisis check on its own, so a caller can run it before taking a lock: it is the costliest step here.
    public static func screen(_ input: ChatInput, safety: SafetyPolicy) -> [CrisisCategory] {
        guard case .text(let text) = input else { return [] }
        return safety.detector.categories(in: text)
    }

    /// - Parameter screened: what `screen(_:safety:)` found in this very input.
    public static func handle(
        _ input: ChatInput, screened categories: [CrisisCategory], state: ChatState, now: Date, safety: SafetyPolicy
    ) -> ChatReaction {
        var reaction = ChatReaction(state: state)
        // /forget's question stands for the next input only: it confirms, declines, or the question lapses.
        reaction.state.erasureOfferedAt = nil
        if let offeredAt = state.erasureOfferedAt, now.timeIntervalSince(offeredAt) < erasureOfferLifetime,
            categories.isEmpty, answerErasure(input, offeredAt: offeredAt, into: &reaction)
        {
            return reaction
        }
        switch input {
        case .command(let command):
            handle(command, now: now, into: &reaction)
        case .button(.consent(let accepted)):
            guard state.phase == .gdprPending else { reaction.say(BotTexts.unknownButton); break }
            decideConsent(accepted, now: now, into: &reaction)
        case .button(.scale(let questionID, let value)):
            guard state.phase == .waitingForAnswer, let pending = state.pendingQuestion,
                pending.isScale, pending.questionID == questionID
            else { reaction.say(BotTexts.unknownButton); break }
            submitAnswer(text: String(value), scaleValue: value, pending: pending, into: &reaction)
        case .button(.breakChoice(let choice)):
            guard state.phase == .breakOffered else { reaction.say(BotTexts.unknownButton); break }
            choose(choice, into: &reaction)
        case .button(.erasure):
            reaction.say(BotTexts.unknownButton)
        case .notText:
            reaction.say(BotTexts.textOnly)
        case .text(let text):
            if categories.isEmpty {
                handleText(text, now: now, into: &reaction)
            } else {
                meetCrisis(categories, now: now, safety: safety, into: &reaction)
            }
        }
        return reaction
    }

    /// A model read danger in an earlier answer or message (`SafetyCrisisSuspected`, with that text's trace): the
    /// person is met as if the patterns had found it, briefly if they were given the resources in the last minutes.
    /// The feedback on that answer, which comes after, is withheld; the coach sent no reply to that message.
    public static func handle(
        _ suspected: SafetyCrisisSuspected, trace: String, state: ChatState, now: Date, safety: SafetyPolicy
    ) -> ChatReaction {
        var reaction = ChatReaction(state: state)
        if suspected.source == .answer { reaction.state.crisisTrace = trace }
        let recently = state.crisisNoticedAt.map { now.timeIntervalSince($0) < crisisRepliesApart } ?? false
        meetCrisis(suspected.categories, now: now, safety: safety, briefly: recently, into: &reaction)
        return reaction
    }

    /// Over the rate limit nothing happens and nothing is stored; a person in crisis is answered all the same.
    public static func rateLimited(_ input: ChatInput, state: ChatState, safety: SafetyPolicy) -> [OutgoingMessage] {
        if case .text(let text) = input {
            let categories = safety.detector.categories(in: text)
            if !categories.isEmpty {
                return [OutgoingMessage(SafetyTexts.reply(to: categories, language: state.language, policy: safety))]
            }
        }
        return [OutgoingMessage(BotTexts.rateLimited[state.language])]
    }

    /// A person who may be in danger gets a calm answer with resources at once (`briefly`: a reminder of the
    /// resources just given). The text goes nowhere else: no answer, no coaching, no analysis. The questions
    /// pause; consented people's sessions learn why.
    private static func meetCrisis(
        _ categories: [CrisisCategory], now: Date, safety: SafetyPolicy, briefly: Bool = false,
        into reaction: inout ChatReaction
    ) {
        let state = reaction.state
        let text =
            briefly
            ? SafetyTexts.followUp[state.language]
            : SafetyTexts.reply(to: categories, language: state.language, policy: safety)
        reaction.replies.append(OutgoingMessage(text))
        guard state.mayBeStored else { return }
        let source: SafetyCrisisDetected.Source = state.phase.isOnboarding ? .answer : .message
        reaction.events.append(
            SafetyCrisisDetected(
                categories: categories, source: source, sessionID: state.sessionID, language: state.language))
        if !briefly { reaction.state.crisisNoticedAt = now }
        if state.phase.isOnboarding {
            reaction.state.phase = .onboardingPaused
            reaction.state.pendingQuestion = nil
        }
    }

    /// The person's answer to an offered break.
    private static func choose(_ choice: BreakChoice, into reaction: inout ChatReaction) {
        let session = reaction.state.sessionID
        switch choice {
        case .pause:
            reaction.state.phase = .onboardingPaused
            reaction.events.append(SessionPauseRequested(sessionID: session))
        case .finish:
            reaction.state.phase = .onboardingActive
            reaction.events.append(SessionEndRequested(sessionID: session))
        case .goOn:
            reaction.state.phase = .onboardingActive
            reaction.say(BotTexts.breakGoingOn)
            reaction.events.append(SessionResumeRequested(sessionID: session))
        }
    }

    /// The input that follows /forget's question, if it answers it: the buttons, or yes or no in words. Any other
    /// text asks again rather than going on as an answer or a message, as it may be a confirmation in other words;
    /// a command or another button lets the question lapse and is handled as usual.
    private static func answerErasure(_ input: ChatInput, offeredAt: Date, into reaction: inout ChatReaction) -> Bool {
        let decision: Bool?
        switch input {
        case .button(.erasure(let confirmed)): decision = confirmed
        case .text(let text): decision = ErasureWords.decision(in: text)
        default: return false
        }
        guard let decision else {
            reaction.state.erasureOfferedAt = offeredAt
            reaction.say(BotTexts.erasureUnclear, buttons: erasureButtons(reaction.state.language))
            return true
        }
        guard decision else {
            reaction.say(BotTexts.erasureDeclined)
            return true
        }
        reaction.state = ChatState(phase: .newUser, language: reaction.state.language)
        reaction.events.append(UserErasureRequested())
        reaction.say(BotTexts.erased)
        return true
    }

    private static func handle(_ command: ChatCommand, now: Date, into reaction: inout ChatReaction) {
        let state = reaction.state
        switch command {
        case .start:
            guard let consentedAt = state.consentedAt else {
                askConsent(into: &reaction)
                return
            }
            if state.phase.isOnboarding {
                reaction.say(BotTexts.resuming)
            } else {
                reaction.state.sessionID = nil
                reaction.say(BotTexts.welcomeBack)
            }
            reaction.state.phase = .onboardingActive
            reaction.state.pendingQuestion = nil
            reaction.events.append(OnboardingInitiated(language: state.language, consentedAt: consentedAt))
        case .help:
            reaction.say(BotTexts.help)
        case .language(let language):
            guard let language else { reaction.say(BotTexts.languageUsage); return }
            reaction.state.language = language
            reaction.say(BotTexts.languageChanged)
        case .profile:
            guard state.mayBeStored else { reaction.say(BotTexts.startFirst); return }
            reaction.events.append(ProfileRequested(language: state.language))
        case .pause:
            guard [.onboardingActive, .waitingForAnswer, .processingAnswer, .breakOffered].contains(state.phase) else {
                reaction.say(state.phase == .onboardingPaused ? BotTexts.pausedReminder : BotTexts.notOnboarding)
                return
            }
            reaction.state.phase = .onboardingPaused
            reaction.events.append(SessionPauseRequested(sessionID: state.sessionID))
        case .resume:
            if state.phase == .breakOffered {
                choose(.goOn, into: &reaction)
                return
            }
            guard state.phase == .onboardingPaused else {
                reaction.say(state.phase.isOnboarding ? BotTexts.preparingQuestion : BotTexts.notOnboarding)
                return
            }
            reaction.state.phase = .onboardingActive
            reaction.state.pendingQuestion = nil
            reaction.state.crisisNoticedAt = nil
            reaction.say(BotTexts.resuming)
            reaction.events.append(SessionResumeRequested(sessionID: state.sessionID))
        case .skip:
            guard state.phase == .waitingForAnswer, let pending = state.pendingQuestion, let session = state.sessionID
            else {
                reaction.say(state.phase.isOnboarding ? BotTexts.stillProcessing : BotTexts.notOnboarding)
                return
            }
            reaction.state.phase = .onboardingActive
            reaction.state.pendingQuestion = nil
            reaction.events.append(QuestionSkipped(sessionID: session, questionID: pending.questionID))
        case .end:
            guard state.phase.isOnboarding else { reaction.say(BotTexts.notOnboarding); return }
            reaction.events.append(SessionEndRequested(sessionID: state.sessionID))
        case .forget:
            guard state.mayBeStored else { reaction.say(BotTexts.nothingStored); return }
            reaction.state.erasureOfferedAt = now
            reaction.say(BotTexts.erasurePrompt, buttons: erasureButtons(state.language))
        case .myData:
            guard state.mayBeStored else { reaction.say(BotTexts.nothingStored); return }
            reaction.say(BotTexts.dataRequested)
            reaction.events.append(UserDataRequested())
        case .unknown:
            reaction.say(BotTexts.unknownCommand)
        }
    }

    private static func handleText(_ text: String, now: Date, into reaction: inout ChatReaction) {
        let state = reaction.state
        switch state.phase {
        case .newUser:
            askConsent(into: &reaction)
        case .gdprPending:
            guard let accepted = ConsentWords.decision(in: text) else {
                reaction.say(BotTexts.consentUnclear, buttons: consentButtons(state.language))
                return
            }
            decideConsent(accepted, now: now, into: &reaction)
        case .onboardingActive:
            reaction.say(BotTexts.preparingQuestion)
        case .processingAnswer:
            reaction.say(BotTexts.stillProcessing)
        case .onboardingPaused:
            reaction.say(state.crisisNoticedAt == nil ? BotTexts.pausedReminder : SafetyTexts.followUp)
        case .breakOffered:
            guard let choice = BreakWords.choice(in: text) else {
                reaction.say(BotTexts.breakUnclear, buttons: breakButtons(state.language))
                return
            }
            choose(choice, into: &reaction)
        case .waitingForAnswer:
            guard let pending = state.pendingQuestion, validate(text, into: &reaction) else { return }
            if pending.isScale {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard let value = Int(trimmed), (1...5).contains(value) else {
                    reaction.say(BotTexts.scaleInvalid)
                    return
                }
                submitAnswer(text: trimmed, scaleValue: value, pending: pending, into: &reaction)
            } else {
                submitAnswer(text: text, scaleValue: nil, pending: pending, into: &reaction)
            }
        case .onboardingComplete, .chatActive:
            guard validate(text, into: &reaction) else { return }
            reaction.state.phase = .chatActive
            reaction.events.append(MessageReceived(text: text, language: state.language))
        }
    }

    /// Rejects empty and over-long messages with a reply that says what to do; nothing earlier is touched.
    private static func validate(_ text: String, into reaction: inout ChatReaction) -> Bool {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            reaction.say(BotTexts.answerEmpty)
            return false
        }
        if text.count > maxMessageLength {
            reaction.say(BotTexts.answerTooLong(limit: maxMessageLength))
            return false
        }
        return true
    }

    private static func submitAnswer(
        text: String, scaleValue: Int?, pending: PendingQuestion, into reaction: inout ChatReaction
    ) {
        guard let session = reaction.state.sessionID else { return }
        reaction.state.phase = .processingAnswer
        reaction.state.pendingQuestion = nil
        reaction.events.append(
            AnswerSubmitted(
                sessionID: session, questionID: pending.questionID, text: text, scaleValue: scaleValue,
                language: reaction.state.language))
    }

    private static func askConsent(into reaction: inout ChatReaction) {
        reaction.state.phase = .gdprPending
        reaction.say(BotTexts.welcome)
        reaction.say(BotTexts.consentPrompt, buttons: consentButtons(reaction.state.language))
    }

    private static func decideConsent(_ accepted: Bool, now: Date, into reaction: inout ChatReaction) {
        guard accepted else {
            reaction.state = ChatState(phase: .newUser, language: reaction.state.language)
            reaction.say(BotTexts.consentDeclined)
            return
        }
        reaction.state.consentedAt = now
        reaction.state.phase = .onboardingActive
        reaction.say(BotTexts.consentAccepted)
        reaction.events.append(OnboardingInitiated(language: reaction.state.language, consentedAt: now))
    }

    static func erasureButtons(_ language: Language) -> [[OutgoingMessage.Button]] {
        [
            [
                .init(title: BotTexts.erasureConfirm[language], action: .erasure(true)),
                .init(title: BotTexts.erasureKeep[language], action: .erasure(false)),
            ]
        ]
    }

    static func consentButtons(_ language: Language) -> [[OutgoingMessage.Button]] {
        [
            [
                .init(title: BotTexts.consentYes[language], action: .consent(true)),
                .init(title: BotTexts.consentNo[language], action: .consent(false)),
            ]
        ]
    }
}

/// The answer to /forget's question, as people type it. Only a clear yes deletes.
enum ErasureWords {
    static let yes = ConsentWords.yes.union(["delete", "delete everything", "удалить", "удали", "удалить всё"])
    static let no = ConsentWords.no.union(["keep", "keep it", "cancel", "оставить", "отмена", "не надо"])

    static func decision(in text: String) -> Bool? { ConsentWords.decision(in: text, yes: yes, no: no) }
}

/// Break choices, as people type them.
enum BreakWords {
    static let words: [BreakChoice: Set<String>] = [
        .pause: ["pause", "break", "later", "пауза", "паузу", "позже", "потом", "перерыв"],
        .finish: ["finish", "end", "stop", "done", "закончить", "закончим", "хватит", "стоп", "всё", "все"],
        .goOn: ["continue", "go on", "on", "yes", "more", "продолжить", "продолжим", "дальше", "да", "еще"],
    ]

    static func choice(in text: String) -> BreakChoice? {
        let word = Tokenizer.normalize(text).trimmingCharacters(
            in: .whitespacesAndNewlines.union(.punctuationCharacters))
        return BreakChoice.allCases.first { words[$0]?.contains(word) ?? false }
    }
}

/// Yes and no, as people type them.
enum ConsentWords {
    static let yes: Set<String> = [
        "yes", "y", "yeah", "yep", "sure", "ok", "okay", "agree", "i agree",
        "да", "д", "ага", "конечно", "согласен", "согласна", "хорошо", "ок",
    ]
    static let no: Set<String> = ["no", "n", "nope", "disagree", "нет", "не", "не согласен", "не согласна"]

    static func decision(in text: String) -> Bool? { decision(in: text, yes: yes, no: no) }

    /// Whether `text`, as a whole, is one of the `yes` or the `no` words.
    static func decision(in text: String, yes: Set<String>, no: Set<String>) -> Bool? {
        let word = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        if yes.contains(word) { return true }
        if no.contains(word) { return false }
        return nil
    }
}
