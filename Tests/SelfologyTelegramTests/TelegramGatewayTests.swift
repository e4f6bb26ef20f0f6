import AsyncHTTPClient
import Foundation
import NIOCore
import SelfologyApp
import SelfologyCore
import SelfologyTelegram
import SelfologyTestSupport
import Testing

/// The whole bot on Telegram, against the fake Bot API: consent by button, onboarding by text and buttons,
/// what the bot ignores on purpose, a crisis, rate limiting, a 429 storm, duplicates, a blocked chat, the
/// webhook's secret, and a restart mid-flow.
@Suite("Telegram gateway", .timeLimit(.minutes(2)))
struct TelegramGatewayTests {
    /// Answers every question until the onboarding summary; returns the messages the person received.
    func onboard(
        _ bot: BotUnderTest, person: Int64, language: String = "en", firstUpdate: Int64, answers: Int = 3
    ) async throws -> [BotUnderTest.Sent] {
        var update = firstUpdate
        bot.fake.push(BotUnderTest.textUpdate(update, from: person, "/start", language: language))
        let consent = try await bot.waitFor(person) { $0.callbackData.contains("consent:yes") }
        update += 1
        bot.fake.push(
            BotUnderTest.buttonUpdate(update, from: person, data: "consent:yes", messageID: consent.messageID ?? 1))
        for answer in 0..<answers {
            let question = try await waitForQuestion(bot, person: person, number: answer + 1)
            update += 1
            if let scale = question.callbackData.first(where: { $0.hasPrefix("scale:4:") }) {
                bot.fake.push(BotUnderTest.buttonUpdate(update, from: person, data: scale, messageID: 1))
            } else {
                bot.fake.push(
                    BotUnderTest.textUpdate(
                        update, from: person, "I love long walks with friends, talking about ideas.",
                        language: language))
            }
        }
        try await bot.settle()
        return bot.sent(to: person)
    }

    func waitForQuestion(_ bot: BotUnderTest, person: Int64, number: Int) async throws -> BotUnderTest.Sent {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let headers = ["Question \(number) of", "Вопрос \(number) из"]
            if let question = bot.sent(to: person).last(where: { sent in headers.contains { sent.text.contains($0) } })
            {
                return question
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestTimeout("question \(number) never reached \(person)")
    }

    @Test("consent by button and onboarding by text and buttons, in the language of the person's app")
    func onboardingInRussian() async throws {
        try await FakeBotAPI.run { fake in
            let bot = try await BotUnderTest(fake: fake)
            let received = try await onboard(bot, person: 501, language: "ru", firstUpdate: 1)
            try await bot.stop()
            let texts = received.map(\.text)
            #expect(texts.contains { $0.contains("Вопрос 1 из 3") })
            #expect(texts.contains { $0.contains("Вопрос 3 из 3") })
            // Every question was followed by feedback before the next one: at least 3 questions + 3 feedbacks.
            #expect(received.count >= 8)
            // Every pressed button was answered, and its message lost its buttons.
            let presses = fake.calls(to: "answerCallbackQuery").count
            #expect(presses >= 1)
            #expect(fake.calls(to: "editMessageReplyMarkup").count == presses)
            // The command menu was published in both languages.
            let menus = fake.calls(to: "setMyCommands")
            #expect(menus.count == 2 && menus.contains { $0.body["language_code"]?.string == "ru" })
        }
    }

    @Test("an update delivered twice is applied once")
    func duplicateUpdate() async throws {
        try await FakeBotAPI.run { fake in
            let bot = try await BotUnderTest(fake: fake)
            bot.fake.push(BotUnderTest.textUpdate(1, from: 601, "/start"))
            let consent = try await bot.waitFor(601) { $0.callbackData.contains("consent:yes") }
            bot.fake.push(
                BotUnderTest.buttonUpdate(2, from: 601, data: "consent:yes", messageID: consent.messageID ?? 1))
            _ = try await waitForQuestion(bot, person: 601, number: 1)
            try await bot.settle()
            let before = bot.sent(to: 601).count
            let answer = BotUnderTest.textUpdate(3, from: 601, "Honestly, I am curious about almost everything.")
            bot.fake.push(answer)
            bot.fake.push(answer)
            _ = try await waitForQuestion(bot, person: 601, number: 2)
            try await bot.settle()
            let after = bot.sent(to: 601)
            try await bot.stop()
            // One feedback and one next question: the repeat changed nothing.
            #expect(after.count - before == 2)
            #expect(!after.contains { $0.text.contains("Question 3 of") })
        }
    }

    @Test("stickers get a polite answer; groups, channels, edits and forged buttons change nothing")
    func whatIsIgnored() async throws {
        try await FakeBotAPI.run { fake in
            let bot = try await BotUnderTest(fake: fake)
            bot.fake.push(BotUnderTest.stickerUpdate(1, from: 701))
            let reply = try await bot.waitForMessages(to: 701, count: 1)
            #expect(reply.first?.text == BotTexts.textOnly.en)
            bot.fake.push(BotUnderTest.textUpdate(2, from: 702, "/start", chatType: "group", chatID: -100_777))
            bot.fake.push(
                ["update_id": 3, "edited_message": BotUnderTest.textUpdate(3, from: 703, "/start")["message"]!])
            bot.fake.push(
                ["update_id": 4, "channel_post": BotUnderTest.textUpdate(4, from: 704, "/start")["message"]!])
            bot.fake.push(BotUnderTest.buttonUpdate(5, from: 705, data: "scale:9:forged", messageID: 1))
            bot.fake.push(BotUnderTest.buttonUpdate(6, from: 705, data: "consent:yes; DROP TABLE", messageID: 1))
            // A later message shows the earlier updates were all handled.
            bot.fake.push(BotUnderTest.textUpdate(7, from: 706, "/help"))
            try await bot.waitForMessages(to: 706, count: 1)
            try await bot.settle()
            try await bot.stop()
            for chat: Int64 in [-100_777, 703, 704, 705] { #expect(bot.sent(to: chat).isEmpty) }
            // The forged buttons' spinners were still ended.
            #expect(fake.calls(to: "answerCallbackQuery").count == 2)
            // Edits and channel posts are not even asked for; the ones pushed above were ignored all the same.
            #expect(fake.calls(to: "getUpdates").first?.body["allowed_updates"] == ["message", "callback_query"])
        }
    }

    @Test("a crisis message is met with resources at once, before any consent")
    func crisis() async throws {
        try await FakeBotAPI.run { fake in
            let bot = try await BotUnderTest(fake: fake)
            bot.fake.push(BotUnderTest.textUpdate(1, from: 801, "I want to kill myself tonight"))
            let reply = try await bot.waitForMessages(to: 801, count: 1)
            try await bot.stop()
            #expect(reply.first?.text.contains("findahelpline") == true)
        }
    }

    @Test("more than 30 messages a minute get the polite rate-limit answer")
    func rateLimit() async throws {
        try await FakeBotAPI.run { fake in
            let bot = try await BotUnderTest(fake: fake)
            for update in 1...32 { bot.fake.push(BotUnderTest.textUpdate(Int64(update), from: 901, "/help")) }
            let replies = try await bot.waitForMessages(to: 901, count: 32)
            try await bot.settle()
            try await bot.stop()
            #expect(replies.filter { $0.text == BotTexts.rateLimited.en }.count == 2)
        }
    }

    @Test("a 429 storm delays messages but delivers each exactly once, in order")
    func floodControl() async throws {
        try await FakeBotAPI.run { fake in
            fake.script("sendMessage", .tooManyRequests(retryAfter: 1), .tooManyRequests(retryAfter: 1))
            let bot = try await BotUnderTest(fake: fake)
            let received = try await onboard(bot, person: 1001, firstUpdate: 1, answers: 2)
            try await bot.stop()
            // The first two attempts met flood control; the same message then went out once, and everything after.
            let attempts = received.map(\.text)
            #expect(attempts.count >= 3 && attempts[0] == attempts[1] && attempts[1] == attempts[2])
            let delivered = Array(attempts.dropFirst(2))
            let first = try #require(delivered.firstIndex { $0.contains("Question 1 of") })
            let second = try #require(delivered.firstIndex { $0.contains("Question 2 of") })
            #expect(first < second)
            #expect(delivered.filter { $0.contains("Question 1 of") }.count == 1)
            #expect(Set(delivered).count == delivered.count)
        }
    }

    @Test("a person who blocked the bot does not hold back anyone else")
    func blockedChat() async throws {
        try await FakeBotAPI.run { fake in
            let bot = try await BotUnderTest(fake: fake)
            bot.fake.push(BotUnderTest.textUpdate(1, from: 1101, "/start"))
            let consent = try await bot.waitFor(1101) { $0.callbackData.contains("consent:yes") }
            fake.block(chatID: 1101)
            bot.fake.push(
                BotUnderTest.buttonUpdate(2, from: 1101, data: "consent:yes", messageID: consent.messageID ?? 1))
            let other = try await onboard(bot, person: 1102, firstUpdate: 3, answers: 1)
            try await bot.settle()
            let queued = try await bot.runtime.dispatcher.queuedCount()
            try await bot.stop()
            #expect(other.contains { $0.text.contains("Question 1 of") })
            #expect(queued == 0)
        }
    }

    @Test("the webhook refuses a request without the secret and handles one with it")
    func webhookSecret() async throws {
        try await FakeBotAPI.run { fake in
            let bot = try await BotUnderTest(fake: fake, webhookSecret: "s3cret-Value_1")
            let port = await bot.listeningPort?.value ?? 0
            #expect(fake.calls(to: "setWebhook").first?.body["secret_token"]?.string == "s3cret-Value_1")
            func post(_ secret: String?, update: FakeJSON) async throws -> Int {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/telegram/hook")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                if let secret { request.headers.add(name: "X-Telegram-Bot-Api-Secret-Token", value: secret) }
                request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(update)))
                return Int(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code)
            }
            #expect(try await post(nil, update: BotUnderTest.textUpdate(1, from: 1201, "/start")) == 401)
            #expect(try await post("wrong", update: BotUnderTest.textUpdate(2, from: 1201, "/start")) == 401)
            try await bot.settle()
            #expect(bot.sent(to: 1201).isEmpty)
            #expect(try await post("s3cret-Value_1", update: BotUnderTest.textUpdate(3, from: 1201, "/start")) == 200)
            try await bot.waitForMessages(to: 1201, count: 1)
            try await bot.stop()
        }
    }

    @Test("a restart mid-onboarding resumes the same question flow with nothing repeated")
    func restartMidFlow() async throws {
        try await FakeBotAPI.run { fake in
            let first = try await BotUnderTest(fake: fake, targetAnswers: 3)
            first.fake.push(BotUnderTest.textUpdate(1, from: 1301, "/start"))
            let consent = try await first.waitFor(1301) { $0.callbackData.contains("consent:yes") }
            first.fake.push(
                BotUnderTest.buttonUpdate(2, from: 1301, data: "consent:yes", messageID: consent.messageID ?? 1))
            _ = try await waitForQuestion(first, person: 1301, number: 1)
            try await first.settle()
            try await first.stop()

            let second = try await BotUnderTest(fake: fake, databasePath: first.databasePath, targetAnswers: 3)
            let question = try await waitForQuestion(second, person: 1301, number: 1)
            let answer =
                question.callbackData.first { $0.hasPrefix("scale:") }
                .map { BotUnderTest.buttonUpdate(3, from: 1301, data: $0, messageID: 1) }
                ?? BotUnderTest.textUpdate(3, from: 1301, "Quiet mornings help me think.")
            second.fake.push(answer)
            _ = try await waitForQuestion(second, person: 1301, number: 2)
            try await second.settle()
            try await second.stop()
            let texts = second.sent(to: 1301).map(\.text)
            let firstQuestions = texts.filter { $0.contains("Question 1 of") }.count
            let secondQuestions = texts.filter { $0.contains("Question 2 of") }.count
            #expect(firstQuestions == 1)
            #expect(secondQuestions == 1)
        }
    }

    @Test("/mydata arrives as one JSON document with the person's answers in it, the text as its caption")
    func copyOfData() async throws {
        try await FakeBotAPI.run { fake in
            let bot = try await BotUnderTest(fake: fake)
            _ = try await onboard(bot, person: 601, firstUpdate: 1)
            fake.push(BotUnderTest.textUpdate(100, from: 601, "/mydata"))
            let deadline = ContinuousClock.now + .seconds(20)
            while fake.calls(to: "sendDocument").isEmpty && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await bot.stop()
            let uploads = fake.calls(to: "sendDocument")
            try #require(uploads.count == 1)
            #expect(uploads[0].body["chat_id"]?.int == 601)
            #expect(uploads[0].body["caption"]?.string == BotTexts.dataReady[.en])
            let file = try #require(uploads[0].body["document"])
            #expect(file["file_name"]?.string?.hasPrefix("selfology-my-data-") == true)
            #expect(file["content_type"]?.string == "application/json")
            #expect(file["contents"]?.string?.contains("I love long walks with friends") == true)
        }
    }

    @Test("an over-long message is split at Telegram's limit, with the buttons under the last part")
    func longMessage() async throws {
        try await FakeBotAPI.run { fake in
            var settings = TelegramSettings(token: FakeBotAPI.token)
            settings.apiURL = fake.baseURL
            settings.sending = .init(perChatInterval: .milliseconds(1), overallInterval: .milliseconds(1))
            let frontEnd = TelegramFrontEnd(settings: settings, logger: .init(label: "test"))
            let paragraph = String(repeating: "Слово за словом. ", count: 60)
            let text = Array(repeating: paragraph, count: 9).joined(separator: "\n\n")
            let message = OutgoingMessage(
                text, buttons: [[.init(title: "Go on", action: .breakChoice(.goOn))]])
            try await frontEnd.transport.deliver(message, to: UserID("telegram:1401"))
            let calls = fake.calls(to: "sendMessage")
            #expect(calls.count >= 2)
            #expect(calls.allSatisfy { ($0.body["text"]?.string?.utf16.count ?? 0) <= 4096 })
            #expect(calls.dropLast().allSatisfy { $0.body["reply_markup"] == nil })
            #expect(calls.last?.body["reply_markup"] != nil)
            let joined = calls.compactMap { $0.body["text"]?.string }.joined()
            #expect(joined.filter { !$0.isWhitespace } == text.filter { !$0.isWhitespace })
        }
    }
}
