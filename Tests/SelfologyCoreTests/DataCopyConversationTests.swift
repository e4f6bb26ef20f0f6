import Foundation
import SelfologyCore
import Testing

@Suite("/mydata in the conversation machine and the copy's document")
struct DataCopyConversationTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let safety = ConversationTests.safety

    @Test("/mydata (or /export) asks every service for the person's rows and says a file is coming; state unchanged")
    func requests() {
        let state = ChatState(phase: .chatActive, language: .ru, consentedAt: now)
        for line in ["/mydata", "/export", "/MyData@selfology_bot"] {
            let input = ChatInput.parse(line)
            #expect(input == .command(.myData))
            let reaction = ConversationMachine.handle(input, state: state, now: now, safety: safety)
            #expect(reaction.state == state)
            #expect(reaction.events.count == 1 && reaction.events.first is UserDataRequested)
            #expect(reaction.replies.map(\.text) == [BotTexts.dataRequested[.ru]])
        }
    }

    @Test("before consent nothing is kept, so nothing is asked for")
    func nothingBeforeConsent() {
        for stranger in [ChatState(), ChatState(phase: .gdprPending, language: .ru)] {
            let reaction = ConversationMachine.handle(.command(.myData), state: stranger, now: now, safety: safety)
            #expect(reaction.state == stranger && reaction.events.isEmpty)
            #expect(reaction.replies.map(\.text) == [BotTexts.nothingStored[stranger.language]])
        }
    }

    @Test("the catalogue sends the request to every group but the gateway, and every part to the gateway")
    func routing() {
        #expect(
            Set(EventCatalog.consumers(of: .userDataRequested)) == Set(ConsumerGroup.allCases).subtracting([.gateway]))
        #expect(EventCatalog.consumers(of: .userDataCollected) == [.gateway])
        #expect(EventCatalog.consumers(of: .safetyCrisisSuspected) == [.gateway])
        #expect(EventCatalog.consumers(of: .messageReceived) == [.coachInteraction], "the coach checks it itself")
        #expect(ChatCommand.listed.contains("mydata"))
        #expect(BotTexts.commandMenu.map(\.command) == ChatCommand.listed)
    }

    @Test("the document: each group's tables under its name, what is left out, in the person's language")
    func document() throws {
        let parts = [
            UserDataCollected(
                group: .gateway, tables: [.init(name: "gateway_users", rows: [.object(["a": .number(1)])])]),
            UserDataCollected(
                group: .sessionManagement,
                tables: [.init(name: "user_answers_new", rows: [.string("x"), .string("y")])]),
        ]
        let text = try PersonalDataCopy.document(of: UserID("u1"), language: .ru, madeAt: now, parts: parts)
        guard case .object(let document) = try JSONValue.parse(text) else { Issue.record("not an object"); return }
        #expect(document["person"] == .string("u1"))
        #expect(document["made_at"] == .string("2023-11-14T22:13:20Z"))
        #expect(
            document["services"]
                == .object([
                    "gateway": .object(["gateway_users": .array([.object(["a": .number(1)])])]),
                    "session_management": .object(["user_answers_new": .array([.string("x"), .string("y")])]),
                ]))
        guard case .string(let about) = document["about"], case .array(let left) = document["not_included"] else {
            Issue.record("no explanation")
            return
        }
        #expect(about.contains("/forget") && about.contains("Всё"))
        #expect(left.count == 3)
        #expect(PersonalDataCopy.fileName(madeAt: now) == "selfology-my-data-2023-11-14.json")
    }

    @Test("a message with a file is stored and read back with it, and the JSON writer agrees with Codable")
    func messageWithFile() throws {
        let message = OutgoingMessage("Here.", document: .init(fileName: "f.json", contents: "{\"a\": \"\\n\"}"))
        let written = try EventCoding.encodeToString(message)
        #expect(written == String(decoding: try EventCoding.encoder.encode(message), as: UTF8.self))
        #expect(try EventCoding.decode(OutgoingMessage.self, from: written) == message)
        #expect(!(try EventCoding.encodeToString(OutgoingMessage("Plain."))).contains("document"))
    }
}
