import Foundation
import SelfologyCore
import Testing

@Suite("Conversation state machine")
struct ConversationTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

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
        for action in [ButtonAction.consent(true), .consent(false), .scale(questionID: "scale.openness.01", value: 4)] {
            #expect(ButtonAction(callbackData: action.callbackData) == action)
        }
        for forged in ["consent:maybe", "scale:9:q", "scale:3:", "scale:x:q", "drop table", ""] {
            #expect(ButtonAction(callbackData: forged) == nil)
        }
    }

    @Test("consent: yes starts onboarding and stores from then on; no forgets everything")
    func consent() {
        var reaction = ConversationMachine.handle(.command(.start), state: ChatState(), now: now)
        #expect(reaction.state.phase == .gdprPending && !reaction.state.mayBeStored && reaction.events.isEmpty)
        let pending = reaction.state
        reaction = ConversationMachine.handle(.text("maybe"), state: pending, now: now)
        #expect(reaction.state.phase == .gdprPending && reaction.events.isEmpty)
        reaction = ConversationMachine.handle(.text("Да!"), state: pending, now: now)
        #expect(reaction.state.phase == .onboardingActive && reaction.state.consentedAt == now)
        #expect(reaction.events.first is OnboardingInitiated)
        reaction = ConversationMachine.handle(.button(.consent(false)), state: pending, now: now)
        #expect(reaction.state == ChatState(phase: .newUser, language: .en) && reaction.events.isEmpty)
    }

    @Test("a scale question takes 1-5 as text or button; a stale button changes nothing")
    func scaleAnswers() throws {
        let state = ChatState(
            phase: .waitingForAnswer, language: .en, consentedAt: now, sessionID: "s",
            pendingQuestion: PendingQuestion(questionID: "scale.x", isScale: true, ordinal: 2))
        let typed = ConversationMachine.handle(.text(" 4 "), state: state, now: now)
        let answer = try #require(typed.events.first as? AnswerSubmitted)
        #expect(answer.scaleValue == 4 && typed.state.phase == .processingAnswer)
        let invalid = ConversationMachine.handle(.text("6"), state: state, now: now)
        #expect(invalid.events.isEmpty && invalid.state == state)
        let stale = ConversationMachine.handle(.button(.scale(questionID: "other", value: 3)), state: state, now: now)
        #expect(stale.events.isEmpty && stale.state == state)
        let pressed = ConversationMachine.handle(
            .button(.scale(questionID: "scale.x", value: 2)), state: state, now: now)
        #expect((pressed.events.first as? AnswerSubmitted)?.scaleValue == 2)
    }

    @Test("skip, pause and a question arriving after pause")
    func skipAndPause() throws {
        let waiting = ChatState(
            phase: .waitingForAnswer, language: .ru, consentedAt: now, sessionID: "s",
            pendingQuestion: PendingQuestion(questionID: "q", isScale: false, ordinal: 1))
        let skipped = ConversationMachine.handle(.command(.skip), state: waiting, now: now)
        #expect((skipped.events.first as? QuestionSkipped)?.questionID == "q" && skipped.state.pendingQuestion == nil)
        let paused = ConversationMachine.handle(.command(.pause), state: waiting, now: now)
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
