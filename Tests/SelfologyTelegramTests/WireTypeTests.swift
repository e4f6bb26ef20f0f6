import Foundation
import Testing

@testable import SelfologyTelegram

@Suite("Bot API wire types")
struct WireTypeTests {
    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    @Test func decodesARealisticUpdateListAndIgnoresUnknownFields() throws {
        let updates = try decode([Update].self, RealisticUpdates.json)
        #expect(updates.map(\.updateID) == Array(500_000_001...500_000_008))

        let start = try #require(updates[0].message)
        #expect(start.messageID == 10)
        #expect(start.text == "/start")
        #expect(start.date == 1_732_400_000)
        #expect(start.chat == Chat(id: 111_222_333, type: .private))
        #expect(
            start.from
                == User(id: 111_222_333, isBot: false, firstName: "Анна", username: "anna_p", languageCode: "ru")
        )

        #expect(updates[1].message?.content == .sticker)
        #expect(updates[2].message == nil)
        #expect(updates[2].editedMessage?.text == "Привет 👋🏽")

        let query = try #require(updates[3].callbackQuery)
        #expect(query.id == "4382bfdwdsb323b2d9")
        #expect(query.data == "mood:good")
        #expect(query.from.id == 111_222_333)
        #expect(query.message?.messageID == 12)
        #expect(query.message?.from?.isBot == true)

        #expect(updates[4].message?.content == .photo)
        #expect(updates[5] == Update(updateID: 500_000_006), "an update kind the bot does not model")
        #expect(updates[6].channelPost?.chat == Chat(id: -1_001_234_567_890, type: .channel))
        #expect(updates[6].channelPost?.from == nil)
        #expect(updates[7].message?.content == .voice)
    }

    @Test func tellsMessageContentKinds() {
        let chat = Chat(id: 1, type: .private)
        #expect(Message(messageID: 1, chat: chat, date: 0, text: "hi").content == .text("hi"))
        #expect(Message(messageID: 1, chat: chat, date: 0, document: PresentField()).content == .document)
        #expect(Message(messageID: 1, chat: chat, date: 0, video: PresentField()).content == .video)
        #expect(Message(messageID: 1, chat: chat, date: 0).content == .other)
    }

    @Test func presentFieldAcceptsAnyJSONValue() throws {
        for json in [#"{"a":{"b":[1,2]}}"#, "[1,{\"x\":null}]", "\"text\"", "42", "true", "null"] {
            #expect(throws: Never.self, "\(json)") { try decode([String: PresentField].self, "{\"f\": \(json)}") }
        }
    }

    @Test func anUnknownChatTypeStillDecodes() throws {
        let chat = try decode(Chat.self, #"{"id": 5, "type": "sender", "title": "x"}"#)
        #expect(chat.type == ChatType(rawValue: "sender"))
        #expect(try decode(Chat.self, #"{"id": -5, "type": "supergroup"}"#).type == .supergroup)
        #expect(try decode(Chat.self, #"{"id": -6, "type": "group"}"#).type == .group)
    }

    @Test func decodesBothEnvelopeShapes() throws {
        let success = try decode(
            TelegramResponse<Bool>.self, #"{"ok": true, "result": true, "description": "Webhook was set"}"#
        )
        #expect(success.ok && success.result == true)

        let failure = try decode(
            TelegramResponse<Message>.self,
            #"""
            {"ok": false, "error_code": 400,
             "description": "Bad Request: group chat was upgraded to a supergroup chat",
             "parameters": {"migrate_to_chat_id": -1001987654321, "retry_after": 3}}
            """#
        )
        #expect(!failure.ok)
        #expect(failure.result == nil)
        #expect(failure.errorCode == 400)
        #expect(failure.description == "Bad Request: group chat was upgraded to a supergroup chat")
        #expect(failure.parameters == ResponseParameters(retryAfter: 3, migrateToChatID: -1_001_987_654_321))
    }

    @Test func encodesKeyboardsAndCommandsInSnakeCase() throws {
        let markup = InlineKeyboardMarkup(inlineKeyboard: [[InlineKeyboardButton(text: "Да", callbackData: "yes")]])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(
            String(decoding: try encoder.encode(markup), as: UTF8.self)
                == #"{"inline_keyboard":[[{"callback_data":"yes","text":"Да"}]]}"#
        )
        #expect(
            String(decoding: try encoder.encode(BotCommand(command: "start", description: "Начать")), as: UTF8.self)
                == #"{"command":"start","description":"Начать"}"#
        )
        #expect(String(decoding: try encoder.encode(ChatType.private), as: UTF8.self) == #""private""#)
    }
}
