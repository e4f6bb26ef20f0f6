import Foundation
import Logging
import SelfologyApp
import SelfologyContent
import SelfologyCore
import SelfologyTelegram
import SelfologyTestSupport
import ServiceLifecycle
import Testing

/// Selfology's embedded runtime with its Telegram front end, talking to the fake Bot API: simulated people write
/// by pushing updates, and what the bot sent is read from the fake's recorded calls.
final class BotUnderTest: Sendable {
    static let content: ContentLibrary = {
        do { return try ContentLibrary.bundled() } catch { fatalError("bundled content must load: \(error)") }
    }()

    let fake: FakeBotAPI
    let runtime: SelfologyRuntime
    let group: ServiceGroup
    let running: Task<Void, any Error>
    let databasePath: String
    let listeningPort: Task<Int, Never>?

    /// `webhookSecret` set: updates come by webhook on a free port instead of long polling.
    init(
        fake: FakeBotAPI, databasePath: String? = nil, targetAnswers: Int = 3, webhookSecret: String? = nil
    ) async throws {
        self.fake = fake
        var settings = TelegramSettings(token: FakeBotAPI.token)
        settings.apiURL = fake.baseURL
        settings.pollTimeout = 1
        settings.sending = .init(perChatInterval: .milliseconds(20), overallInterval: .milliseconds(1))
        if let webhookSecret {
            settings.webhookURL = "https://bot.example.test/telegram/hook"
            settings.webhookSecret = webhookSecret
            settings.listenHost = "127.0.0.1"
            settings.listenPort = 0
        }
        var quiet = Logger(label: "bot-under-test")
        quiet.logLevel = .critical
        let frontEnd = TelegramFrontEnd(settings: settings, logger: quiet)
        try await frontEnd.connect()
        let path =
            databasePath
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("selfology-telegram-\(UUID().uuidString)/store.sqlite").path
        var configuration = RuntimeConfiguration(dataPath: path)
        configuration.session.targetAnswers = targetAnswers
        configuration.relay.pollInterval = .milliseconds(50)
        let runtime = try await SelfologyRuntime.prepare(
            configuration: configuration, content: Self.content, transport: frontEnd.transport, logger: quiet)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let inbound = frontEnd.inbound(gateway: runtime.gateway) { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        let group = runtime.makeServiceGroup(runtime.services + [inbound])
        self.runtime = runtime
        self.group = group
        self.databasePath = path
        running = Task { try await group.run() }
        listeningPort = webhookSecret == nil ? nil : Task { await ports.first { _ in true } ?? 0 }
    }

    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
        try await runtime.close()
    }

    // MARK: what people do

    static func sender(_ id: Int64, language: String) -> FakeJSON {
        ["id": .int(id), "is_bot": false, "first_name": .string("Person \(id)"), "language_code": .string(language)]
    }

    static func textUpdate(
        _ updateID: Int64, from person: Int64, _ text: String, language: String = "en", chatType: String = "private",
        chatID: Int64? = nil
    ) -> FakeJSON {
        [
            "update_id": .int(updateID),
            "message": [
                "message_id": .int(updateID), "from": sender(person, language: language),
                "chat": ["id": .int(chatID ?? person), "type": .string(chatType)],
                "date": 1_790_000_000, "text": .string(text),
            ],
        ]
    }

    static func stickerUpdate(_ updateID: Int64, from person: Int64) -> FakeJSON {
        [
            "update_id": .int(updateID),
            "message": [
                "message_id": .int(updateID), "from": sender(person, language: "en"),
                "chat": ["id": .int(person), "type": "private"], "date": 1_790_000_000,
                "sticker": ["file_id": "CAACAgIAAxk", "width": 512, "height": 512, "is_animated": false],
            ],
        ]
    }

    static func buttonUpdate(_ updateID: Int64, from person: Int64, data: String, messageID: Int64) -> FakeJSON {
        [
            "update_id": .int(updateID),
            "callback_query": [
                "id": .string("query-\(updateID)"), "from": sender(person, language: "en"),
                "chat_instance": "-4242",
                "message": [
                    "message_id": .int(messageID), "chat": ["id": .int(person), "type": "private"],
                    "date": 1_790_000_000, "text": "…",
                ],
                "data": .string(data),
            ],
        ]
    }

    // MARK: what the bot did

    struct Sent: Sendable {
        let text: String
        let callbackData: [String]
        let messageID: Int64?
    }

    /// Messages sent to `chat`, in order. The fake numbers messages in the order it answered them.
    func sent(to chat: Int64) -> [Sent] {
        var number: Int64 = 0
        var result: [Sent] = []
        for call in fake.calls(to: "sendMessage") {
            number += 1
            guard call.body["chat_id"]?.int == chat else { continue }
            var data: [String] = []
            if case .array(let rows)? = call.body["reply_markup"]?["inline_keyboard"] {
                for case .array(let buttons) in rows {
                    data += buttons.compactMap { $0["callback_data"]?.string }
                }
            }
            result.append(Sent(text: call.body["text"]?.string ?? "", callbackData: data, messageID: number))
        }
        return result
    }

    /// Waits until `chat` has received at least `count` messages; returns them.
    @discardableResult
    func waitForMessages(to chat: Int64, count: Int, timeout: Duration = .seconds(20)) async throws -> [Sent] {
        let deadline = ContinuousClock.now + timeout
        while sent(to: chat).count < count {
            guard ContinuousClock.now < deadline else {
                throw TestTimeout("chat \(chat) got \(sent(to: chat).count) of \(count) messages")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return sent(to: chat)
    }

    /// Waits for the first message to `chat` that satisfies `matches`.
    func waitFor(
        _ chat: Int64, timeout: Duration = .seconds(20), _ matches: @escaping @Sendable (Sent) -> Bool
    ) async throws -> Sent {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let found = sent(to: chat).first(where: matches) { return found }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestTimeout("no matching message reached chat \(chat)")
    }

    /// Waits until the runtime has nothing in flight.
    func settle() async throws {
        guard try await runtime.settle(timeout: .seconds(20)) else { throw TestTimeout("runtime did not settle") }
    }
}

struct TestTimeout: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
