import Foundation
import SelfologyCore
import Testing

@Suite("/forget in the conversation machine")
struct ErasureConversationTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let safety = ConversationTests.safety

    var answering: ChatState {
        ChatState(
            phase: .waitingForAnswer, language: .en, consentedAt: now.addingTimeInterval(-3600), sessionID: "s",
            pendingQuestion: PendingQuestion(questionID: "open.x", isScale: false, ordinal: 3))
    }

    func offered(_ state: ChatState) -> ChatState {
        ConversationMachine.handle(.command(.forget), state: state, now: now, safety: safety).state
    }

    @Test("/forget asks first, with buttons, and changes nothing else; before consent there is nothing to delete")
    func asksFirst() throws {
        let asked = ConversationMachine.handle(.command(.forget), state: answering, now: now, safety: safety)
        #expect(asked.state.erasureOfferedAt == now && asked.events.isEmpty && !asked.erasesPerson)
        var unchanged = asked.state
        unchanged.erasureOfferedAt = nil
        #expect(unchanged == answering)
        let prompt = try #require(asked.replies.last)
        #expect(prompt.text.contains("cannot be undone"))
        #expect(prompt.buttons.flatMap { $0 }.map(\.data) == ["forget:yes", "forget:no"])

        for stranger in [ChatState(), ChatState(phase: .gdprPending, language: .ru)] {
            let refused = ConversationMachine.handle(.command(.forget), state: stranger, now: now, safety: safety)
            #expect(refused.state == stranger && refused.events.isEmpty && !refused.erasesPerson)
            #expect(refused.replies.map(\.text) == [BotTexts.nothingStored[stranger.language]])
        }
    }

    @Test("a confirmation by button or in words erases: a new person's state, the erasure event, a last reply")
    func confirmationErases() {
        for input in [ChatInput.button(.erasure(true)), .text("Yes"), .text("удалить"), .text(" delete! ")] {
            let erased = ConversationMachine.handle(input, state: offered(answering), now: now, safety: safety)
            #expect(erased.erasesPerson)
            #expect(erased.state == ChatState(phase: .newUser, language: .en) && !erased.state.mayBeStored)
            #expect(erased.events.count == 1 && erased.events.first is UserErasureRequested)
            #expect(erased.replies.map(\.text) == [BotTexts.erased[.en]])
        }
    }

    @Test("no keeps everything; an unclear reply asks again; a command or a late confirmation erases nothing")
    func otherwiseNothingIsErased() {
        let pending = offered(answering)
        for input in [ChatInput.button(.erasure(false)), .text("no"), .text("Отмена")] {
            let kept = ConversationMachine.handle(input, state: pending, now: now, safety: safety)
            #expect(!kept.erasesPerson && kept.events.isEmpty && kept.state == answering)
            #expect(kept.replies.map(\.text) == [BotTexts.erasureDeclined[.en]])
        }

        // Possibly a yes in other words: neither an answer to the question nor an erasure, but the question again.
        let unclear = ConversationMachine.handle(
            .text("yes please, all of it"), state: pending, now: now, safety: safety)
        #expect(!unclear.erasesPerson && unclear.events.isEmpty && unclear.state == pending)
        #expect(unclear.replies.first?.buttons.isEmpty == false)

        // Any command lets the question lapse and is handled as usual.
        let skipped = ConversationMachine.handle(.command(.skip), state: pending, now: now, safety: safety)
        #expect(!skipped.erasesPerson && skipped.state.erasureOfferedAt == nil)
        #expect(skipped.events.first is QuestionSkipped)
        let late = ConversationMachine.handle(.button(.erasure(true)), state: skipped.state, now: now, safety: safety)
        #expect(!late.erasesPerson && late.replies.map(\.text) == [BotTexts.unknownButton[.en]])

        // A button pressed on a question that has stood too long deletes nothing.
        let stale = ConversationMachine.handle(
            .button(.erasure(true)), state: pending,
            now: now.addingTimeInterval(ConversationMachine.erasureOfferLifetime + 1), safety: safety)
        #expect(!stale.erasesPerson && stale.events.isEmpty && stale.state.erasureOfferedAt == nil)
    }

    @Test("a message showing danger after /forget is met with care, not taken for an answer to the question")
    func crisisComesFirst() {
        let reaction = ConversationMachine.handle(
            .text("yes, I want to kill myself"), state: offered(answering), now: now, safety: safety)
        #expect(!reaction.erasesPerson)
        #expect(reaction.events.first is SafetyCrisisDetected)
    }

    @Test("/forget and /delete parse to the command, which the menu and /help list")
    func parsing() {
        #expect(ChatInput.parse("/forget") == .command(.forget))
        #expect(ChatInput.parse("/delete@SelfologyBot") == .command(.forget))
        #expect(ChatCommand.listed.contains("forget"))
        #expect(BotTexts.commandMenu.map(\.command) == ChatCommand.listed)
        #expect(BotTexts.help[.en].contains("/forget") && BotTexts.help[.ru].contains("/forget"))
    }
}
