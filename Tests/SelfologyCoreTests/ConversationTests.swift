import Foundation
import SelfologyContent
import SelfologyCore
import Testing

@Suite("Conversation state machine")
struct ConversationTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let safety = SafetyPolicy(
        detector: BundledContent.library.crisis, resources: BundledContent.library.crisisResources, country: nil)

    @Test("commands parse, with Telegram's @botname suffix and arguments")
    func parsing() {
        #expect(ChatInput.parse("/start") == .command(.start))
        #expect(ChatInput.parse("/start@SelfologyBot") == .command(.start))
        #expect(ChatInput.parse("/language RU") == .command(.language(.ru)))
        #expect(ChatInput.parse("/language klingon") == .command(.language(nil)))
        #expect(ChatInput.parse("/nope") == .command(.unknown("nope")))
        #expect(ChatInput.parse("hello /start") == .text("hello /start"))
    }

    @Test("callback data round-trips; forged or malformed data is refused")
    func callbackData() {
        for action in [
            ButtonAction.consent(true), .consent(false), .scale(questionID: "scale.openness.01", value: 4),
            .erasure(true), .erasure(false),
        ] {
            #expect(ButtonAction(callbackData: action.callbackData) == action)
        }
        for forged in [
            "consent:maybe", "forget:maybe", "forget", "scale:9:q", "scale:3:", "scale:x:q", "drop table", "",
        ] {
            #expect(ButtonAction(callbackData: forged) == nil)
        }
    }

    @Test("consent: yes starts onboarding and stores from then on; no forgets everything")
    func consent() {
        var reaction = ConversationMachine.handle(.command(.start), state: ChatState(), now: now, safety: Self.safety)
        #expect(reaction.state.phase == .gdprPending && !reaction.state.mayBeStored && reaction.events.isEmpty)
        let pending = reaction.state
        reaction = ConversationMachine.handle(.text("maybe"), state: pending, now: now, safety: Self.safety)
        #expect(reaction.state.phase == .gdprPending && reaction.events.isEmpty)
        reaction = ConversationMachine.handle(.text("Да!"), state: pending, now: now, safety: Self.safety)
        #expect(reaction.state.phase == .onboardingActive && reaction.state.consentedAt == now)
        #expect(reaction.events.first is OnboardingInitiated)
        reaction = ConversationMachine.handle(.button(.consent(false)), state: pending, now: now, safety: Self.safety)
        #expect(reaction.state == ChatState(phase: .newUser, language: .en) && reaction.events.isEmpty)
    }

    @Test("a scale question takes 1-5 as text or button; a stale button changes nothing")
    func scaleAnswers() throws {
        let state = ChatState(
            phase: .waitingForAnswer, language: .en, consentedAt: now, sessionID: "s",
            pendingQuestion: PendingQuestion(questionID: "scale.x", isScale: true, ordinal: 2))
        let typed = ConversationMachine.handle(.text(" 4 "), state: state, now: now, safety: Self.safety)
        let answer = try #require(typed.events.first as? AnswerSubmitted)
        #expect(answer.scaleValue == 4 && typed.state.phase == .processingAnswer)
        let invalid = ConversationMachine.handle(.text("6"), state: state, now: now, safety: Self.safety)
        #expect(invalid.events.isEmpty && invalid.state == state)
        let stale = ConversationMachine.handle(
            .button(.scale(questionID: "other", value: 3)), state: state, now: now, safety: Self.safety)
        #expect(stale.events.isEmpty && stale.state == state)
        let pressed = ConversationMachine.handle(
            .button(.scale(questionID: "scale.x", value: 2)), state: state, now: now, safety: Self.safety)
        #expect((pressed.events.first as? AnswerSubmitted)?.scaleValue == 2)
    }

    @Test("skip, pause and a question arriving after pause")
    func skipAndPause() throws {
        let waiting = ChatState(
            phase: .waitingForAnswer, language: .ru, consentedAt: now, sessionID: "s",
            pendingQuestion: PendingQuestion(questionID: "q", isScale: false, ordinal: 1))
        let skipped = ConversationMachine.handle(.command(.skip), state: waiting, now: now, safety: Self.safety)
        #expect((skipped.events.first as? QuestionSkipped)?.questionID == "q" && skipped.state.pendingQuestion == nil)
        let paused = ConversationMachine.handle(.command(.pause), state: waiting, now: now, safety: Self.safety)
        #expect(paused.state.phase == .onboardingPaused && paused.events.first is SessionPauseRequested)
        let late = QuestionSelected(
            sessionID: "s", questionID: "q2", ordinal: 2, targetAnswers: 10, strategy: .entry,
            text: LocalizedText(en: "E", ru: "Р"), isScale: false, isRepeat: false)
        let ignored = ConversationMachine.handle(.questionSelected(late), state: paused.state)
        #expect(ignored.replies.isEmpty && ignored.state == paused.state)
        let shown = ConversationMachine.handle(
            .questionSelected(late),
            state: ChatState(
                phase: .processingAnswer, language: .ru, consentedAt: now, sessionID: "s"))
        #expect(shown.replies.first?.text == "Вопрос 2 из 10\n\nР")
    }
}

@Suite("Crisis care in the conversation")
struct CrisisConversationTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let safety = ConversationTests.safety

    func waiting(_ language: Language) -> ChatState {
        ChatState(
            phase: .waitingForAnswer, language: language, consentedAt: now, sessionID: "s",
            pendingQuestion: PendingQuestion(questionID: "q", isScale: false, ordinal: 3))
    }

    @Test("a crisis answer gets resources at once, goes nowhere else, and pauses the questions")
    func crisisAnswer() throws {
        let reaction = ConversationMachine.handle(
            .text("honestly I don't want to live anymore"), state: waiting(.en), now: now, safety: safety)
        let reply = try #require(reaction.replies.first?.text)
        #expect(reply.contains("findahelpline.com") && reply.contains("emergency"))
        #expect(reaction.events.count == 1)
        let event = try #require(reaction.events.first as? SafetyCrisisDetected)
        #expect(event.categories.contains(.suicidalIntent) && event.source == .answer && event.sessionID == "s")
        #expect(reaction.state.phase == .onboardingPaused && reaction.state.pendingQuestion == nil)
        #expect(reaction.state.crisisNoticedAt == now)
        let next = ConversationMachine.handle(.text("ok"), state: reaction.state, now: now, safety: safety)
        #expect(next.replies.first?.text == SafetyTexts.followUp[.en])
    }

    @Test("a model's later reading of danger is met the same way, briefly within minutes of the last resources")
    func suspectedCrisis() throws {
        let suspected = SafetyCrisisSuspected(categories: [.selfHarm], source: .answer)
        let reaction = ConversationMachine.handle(
            suspected, trace: "t1", state: waiting(.ru), now: now, safety: safety)
        let reply = try #require(reaction.replies.first?.text)
        #expect(reply.hasPrefix("Спасибо, что рассказали. Вы заслуживаете заботы"))
        let event = try #require(reaction.events.first as? SafetyCrisisDetected)
        #expect(event.categories == [.selfHarm] && event.sessionID == "s" && event.language == .ru)
        #expect(reaction.state.phase == .onboardingPaused && reaction.state.crisisNoticedAt == now)

        let soon = now.addingTimeInterval(ConversationMachine.crisisRepliesApart - 1)
        var resumed = reaction.state
        resumed.phase = .waitingForAnswer
        let again = ConversationMachine.handle(suspected, trace: "t2", state: resumed, now: soon, safety: safety)
        #expect(again.replies.map(\.text) == [SafetyTexts.followUp[.ru]], "a reminder, not the whole list again")
        #expect(again.events.first is SafetyCrisisDetected && again.state.phase == .onboardingPaused)
        #expect(again.state.crisisTrace == "t2" && again.state.crisisNoticedAt == now)
        let later = now.addingTimeInterval(ConversationMachine.crisisRepliesApart + 1)
        #expect(
            !ConversationMachine.handle(suspected, trace: "t3", state: reaction.state, now: later, safety: safety)
                .replies.isEmpty)

        // Before consent nothing is stored, so there is no answer or message a model could have read.
        let chat = ChatState(phase: .chatActive, language: .en, consentedAt: now)
        let message = SafetyCrisisSuspected(categories: [.selfHarm], source: .message)
        let inChat = ConversationMachine.handle(message, trace: "t4", state: chat, now: now, safety: safety)
        #expect(inChat.state.phase == .chatActive && inChat.replies.count == 1 && inChat.state.crisisTrace == nil)
    }

    @Test("the feedback on an answer a model read danger in is withheld; feedback on other answers is shown")
    func feedbackAfterSuspectedCrisis() {
        let suspected = SafetyCrisisSuspected(categories: [.suicidalIntent], source: .answer)
        let met = ConversationMachine.handle(suspected, trace: "t1", state: waiting(.en), now: now, safety: safety)
        let analysis = InstantAnalysis(
            valence: 0.1, emotion: nil, quality: 0.6, insight: "What a thoughtful answer!", wordCount: 12,
            saidTired: false)
        let feedback = AnswerAnalyzedInstant(sessionID: "s", questionID: "q", language: .en, analysis: analysis)
        #expect(ConversationMachine.handle(.instantFeedback(feedback, trace: "t1"), state: met.state).replies.isEmpty)
        let other = ConversationMachine.handle(.instantFeedback(feedback, trace: "t0"), state: met.state)
        #expect(other.replies.map(\.text) == ["What a thoughtful answer!"])
    }

    @Test("Russian speakers see Russian services; an operator's country comes first")
    func resourcesByLanguageAndCountry() throws {
        let ru = ConversationMachine.handle(
            .text("режу себя каждый вечер"), state: waiting(.ru), now: now, safety: safety)
        #expect(ru.replies.first?.text.contains("8-800-2000-122") == true)
        let us = SafetyPolicy(detector: safety.detector, resources: safety.resources, country: "US")
        let en = ConversationMachine.handle(
            .text("I cut myself again tonight"), state: waiting(.en), now: now, safety: us)
        let text = try #require(en.replies.first?.text)
        #expect(text.contains("988") && text.contains("findahelpline.com"))
        #expect(try #require(text.range(of: "988")).lowerBound < text.range(of: "findahelpline")!.lowerBound)
    }

    @Test("before consent a person in crisis is answered too, and nothing is emitted")
    func crisisBeforeConsent() {
        let reaction = ConversationMachine.handle(
            .text("I want to kill myself"), state: ChatState(phase: .gdprPending), now: now, safety: safety)
        #expect(reaction.replies.first?.text.contains("findahelpline.com") == true)
        #expect(reaction.events.isEmpty && !reaction.state.mayBeStored)
    }

    @Test("in free chat a crisis message reaches no coach; a sad-but-safe one does")
    func chat() {
        let chatting = ChatState(phase: .chatActive, language: .en, consentedAt: now)
        let crisis = ConversationMachine.handle(
            .text("I'm going to end my life tonight"), state: chatting, now: now, safety: safety)
        #expect(crisis.events.count == 1 && crisis.events.first is SafetyCrisisDetected)
        #expect(!crisis.events.contains { $0 is MessageReceived })
        let sad = ConversationMachine.handle(
            .text("I failed my exam and feel awful"), state: chatting, now: now, safety: safety)
        #expect(sad.events.first is MessageReceived)
    }
}
