import Foundation
import SelfologyTestSupport
import Testing

@testable import SelfologyTelegram

@Suite("Bot API methods against the fake server")
struct BotAPIMethodTests {
    private let keyboard = InlineKeyboardMarkup(inlineKeyboard: [
        [
            InlineKeyboardButton(text: "Да", callbackData: "answer:yes"),
            InlineKeyboardButton(text: "Нет", callbackData: "answer:no"),
        ]
    ])
    private let keyboardJSON: FakeJSON = [
        "inline_keyboard": [
            [["text": "Да", "callback_data": "answer:yes"], ["text": "Нет", "callback_data": "answer:no"]]
        ]
    ]

    /// The one call the fake recorded: its method (the last path component) and JSON body.
    private func onlyCall(_ fake: FakeBotAPI) throws -> FakeBotAPI.Call {
        let calls = fake.calls
        try #require(calls.count == 1)
        #expect(calls[0].contentType == "application/json")
        return calls[0]
    }

    @Test func getMePostsAnEmptyObjectAndDecodesTheBot() async throws {
        try await FakeBotAPI.run { fake in
            let me = try await fake.client().getMe()
            #expect(me == User(id: 7_000_000_001, isBot: true, firstName: "Selfology", username: "selfology_bot"))
            let call = try onlyCall(fake)
            #expect(call.method == "getMe")
            #expect(call.body == [:])
        }
    }

    @Test func sendMessageSendsEveryFieldAndDecodesTheSentMessage() async throws {
        try await FakeBotAPI.run { fake in
            let sent = try await fake.client().sendMessage(
                chatID: 111_222_333, text: "Привет, *Анна*", parseMode: .markdownV2, replyMarkup: keyboard
            )
            #expect(sent.messageID == 1)
            #expect(sent.chat == Chat(id: 111_222_333, type: .private))
            #expect(sent.text == "Привет, *Анна*")
            #expect(sent.from?.isBot == true)
            let call = try onlyCall(fake)
            #expect(call.method == "sendMessage")
            #expect(
                call.body
                    == [
                        "chat_id": 111_222_333, "text": "Привет, *Анна*", "parse_mode": "MarkdownV2",
                        "reply_markup": keyboardJSON,
                    ]
            )
        }
    }

    @Test func sendDocumentUploadsTheFileAsMultipartFormData() async throws {
        try await FakeBotAPI.run { fake in
            let contents = #"{"answer": "Я устаю от людей"}"#
            let sent = try await fake.client().sendDocument(
                chatID: 111_222_333, fileName: "selfology-my-data-2026-12-06.json", contents: Data(contents.utf8),
                caption: "Вот всё")
            #expect(sent.messageID == 1 && sent.chat.id == 111_222_333 && sent.document != nil && sent.text == nil)
            let calls = fake.calls
            try #require(calls.count == 1)
            #expect(calls[0].method == "sendDocument")
            #expect(calls[0].contentType?.hasPrefix("multipart/form-data; boundary=") == true)
            #expect(
                calls[0].body
                    == [
                        "chat_id": 111_222_333, "caption": "Вот всё",
                        "document": [
                            "file_name": "selfology-my-data-2026-12-06.json", "content_type": "application/json",
                            "contents": .string(contents),
                        ],
                    ])
        }
    }

    @Test func sendMessageLeavesOutOptionalFieldsThatAreNil() async throws {
        try await FakeBotAPI.run { fake in
            _ = try await fake.client().sendMessage(chatID: -1_001_234_567_890, text: "plain")
            #expect(try onlyCall(fake).body == ["chat_id": -1_001_234_567_890, "text": "plain"])
        }
    }

    @Test func getUpdatesSendsOffsetTimeoutAndAllowedUpdates() async throws {
        try await FakeBotAPI.run { fake in
            let updates = try await fake.client().getUpdates(
                offset: 42, timeout: 0, allowedUpdates: ["message", "callback_query"]
            )
            #expect(updates.isEmpty)
            let call = try onlyCall(fake)
            #expect(call.method == "getUpdates")
            #expect(call.body == ["offset": 42, "timeout": 0, "allowed_updates": ["message", "callback_query"]])
        }
    }

    @Test func setWebhookSendsItsFields() async throws {
        try await FakeBotAPI.run { fake in
            try await fake.client().setWebhook(
                url: "https://bot.example/telegram", secretToken: "s3cret-header", allowedUpdates: ["message"],
                dropPendingUpdates: true
            )
            let call = try onlyCall(fake)
            #expect(call.method == "setWebhook")
            #expect(
                call.body
                    == [
                        "url": "https://bot.example/telegram", "secret_token": "s3cret-header",
                        "allowed_updates": ["message"], "drop_pending_updates": true,
                    ]
            )
        }
    }

    @Test func deleteWebhookSendsDropPendingUpdates() async throws {
        try await FakeBotAPI.run { fake in
            try await fake.client().deleteWebhook(dropPendingUpdates: false)
            let call = try onlyCall(fake)
            #expect(call.method == "deleteWebhook")
            #expect(call.body == ["drop_pending_updates": false])
        }
    }

    @Test func answerCallbackQueryNamesTheQuery() async throws {
        try await FakeBotAPI.run { fake in
            try await fake.client().answerCallbackQuery(id: "4382bfdwdsb323b2d9", text: "Записал")
            let call = try onlyCall(fake)
            #expect(call.method == "answerCallbackQuery")
            #expect(call.body == ["callback_query_id": "4382bfdwdsb323b2d9", "text": "Записал"])
        }
    }

    @Test func editMessageReplyMarkupReplacesOrRemovesTheKeyboard() async throws {
        try await FakeBotAPI.run { fake in
            let client = fake.client()
            let edited = try await client.editMessageReplyMarkup(chatID: 5, messageID: 77, replyMarkup: keyboard)
            #expect(edited.messageID == 77)
            try await client.editMessageReplyMarkup(chatID: 5, messageID: 77)
            let calls = fake.calls(to: "editMessageReplyMarkup")
            try #require(calls.count == 2)
            #expect(calls[0].body == ["chat_id": 5, "message_id": 77, "reply_markup": keyboardJSON])
            #expect(calls[1].body == ["chat_id": 5, "message_id": 77], "no reply_markup removes the keyboard")
        }
    }

    @Test func sendChatActionSendsTyping() async throws {
        try await FakeBotAPI.run { fake in
            try await fake.client().sendChatAction(chatID: 9, action: .typing)
            let call = try onlyCall(fake)
            #expect(call.method == "sendChatAction")
            #expect(call.body == ["chat_id": 9, "action": "typing"])
        }
    }

    @Test func setMyCommandsSendsTheMenuAndLanguage() async throws {
        try await FakeBotAPI.run { fake in
            try await fake.client().setMyCommands(
                commands: [
                    BotCommand(command: "start", description: "Начать"),
                    BotCommand(command: "help", description: "Помощь"),
                ],
                languageCode: "ru"
            )
            let call = try onlyCall(fake)
            #expect(call.method == "setMyCommands")
            #expect(
                call.body
                    == [
                        "commands": [
                            ["command": "start", "description": "Начать"],
                            ["command": "help", "description": "Помощь"],
                        ],
                        "language_code": "ru",
                    ]
            )
        }
    }

    @Test func aBaseURLWithATrailingSlashStillReachesTheMethod() async throws {
        try await FakeBotAPI.run { fake in
            let client = TelegramBotAPI(
                token: BotToken(FakeBotAPI.token), configuration: .init(baseURL: fake.baseURL + "/"), breaker: nil
            )
            _ = try await client.getMe()
            #expect(try onlyCall(fake).method == "getMe")
        }
    }
}
