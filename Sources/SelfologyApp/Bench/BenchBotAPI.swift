import Foundation
import Hummingbird
import SelfologyCore
import SelfologyTelegram
import Synchronization

/// A stand-in for Telegram's Bot API for `selfology bench --telegram`, over real HTTP on loopback in the Bot
/// API's wire format: it hands out pushed updates to long polls and records the moment each message arrives.
/// It answers every other method with success. It exists to measure the bot, not to test it (the tests have
/// their own fake, written independently of the client's types).
final class BenchBotAPI: Sendable {
    static let token = "100000:bench-token"

    private struct State {
        var updates: [Update] = []
        var nextUpdateID = 1
        var messagesSent = 0
    }

    private let state = Mutex(State())
    /// Messages as they arrive, per chat, with their arrival time.
    let inbox = BenchTransport()

    func push(_ make: (Int) -> Update) {
        state.withLock { state in
            state.updates.append(make(state.nextUpdateID))
            state.nextUpdateID += 1
        }
    }

    /// Runs the server until `body` returns; `body` gets the base URL.
    func run<T: Sendable>(_ body: @escaping @Sendable (String) async throws -> T) async throws -> T {
        try await LoopbackServer.run(router(), label: "bench-bot-api") { try await body($0.baseURL) }
    }

    private struct SendMessageBody: Decodable {
        let chatID: Int64
        let text: String
        let replyMarkup: InlineKeyboardMarkup?
        enum CodingKeys: String, CodingKey {
            case chatID = "chat_id"
            case text
            case replyMarkup = "reply_markup"
        }
    }

    private struct GetUpdatesBody: Decodable {
        let offset: Int?
        let timeout: Int?
    }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post(":botPath/:method") { request, context -> Response in
            let body = Data(buffer: try await request.body.collect(upTo: 1 << 20))
            switch context.parameters.get("method") ?? "" {
            case "getUpdates":
                let parameters = try JSONDecoder().decode(GetUpdatesBody.self, from: body)
                return try Self.ok(await self.poll(offset: parameters.offset, timeout: parameters.timeout ?? 0))
            case "sendMessage":
                let message = try JSONDecoder().decode(SendMessageBody.self, from: body)
                return try Self.ok(await self.received(message))
            case "getMe":
                return try Self.ok(User(id: 100_000, isBot: true, firstName: "Selfology", username: "bench_bot"))
            default:
                return try Self.ok(true)
            }
        }
        return router
    }

    private func poll(offset: Int?, timeout: Int) async -> [Update] {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while true {
            let pending = state.withLock { state -> [Update] in
                if let offset { state.updates.removeAll { $0.updateID < offset } }
                return Array(state.updates.prefix(100))
            }
            if !pending.isEmpty || ContinuousClock.now >= deadline { return pending }
            do { try await Task.sleep(for: .milliseconds(1)) } catch { return [] }
        }
    }

    private func received(_ message: SendMessageBody) async -> Message {
        let buttons = (message.replyMarkup?.inlineKeyboard ?? []).map { row in
            row.compactMap { button in
                ButtonAction(callbackData: button.callbackData).map {
                    OutgoingMessage.Button(title: button.text, action: $0)
                }
            }
        }
        try? await inbox.deliver(
            OutgoingMessage(message.text, buttons: buttons), to: UserID("telegram:\(message.chatID)"))
        let number = state.withLock { state -> Int in
            state.messagesSent += 1
            return state.messagesSent
        }
        return Message(
            messageID: number, chat: Chat(id: message.chatID, type: .private), date: Int(Date().timeIntervalSince1970),
            text: message.text)
    }

    private static func ok(_ result: some Encodable) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(
            status: .ok, headers: headers,
            body: .init(byteBuffer: .init(data: try JSONEncoder().encode(SuccessEnvelope(result: result)))))
    }
}

/// `{"ok":true,"result":…}`
private struct SuccessEnvelope<Result: Encodable>: Encodable {
    let ok = true
    let result: Result
}
