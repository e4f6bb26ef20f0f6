import Foundation
import Hummingbird
import Logging
import MultipartKit
import NIOCore
import SelfologyApp
import SelfologyResilience
import SelfologyTelegram
import SelfologyTestSupport
import ServiceLifecycle
import Synchronization

/// A stand-in for api.telegram.org on 127.0.0.1: a real HTTP server that routes `POST /bot<token>/<method>`, answers
/// in the Bot API's documented shapes, records every call, serves scripted updates to long polls with `offset`
/// semantics, and fails on request the way Telegram does (401, 429 with `retry_after`, 500, 403 blocked).
final class FakeBotAPI: Sendable {
    static let token = "123456789:AAFakeTokenSecretDoNotLeak_x9"

    struct Call: Sendable {
        let method: String
        let body: FakeJSON
        let contentType: String?
        let receivedAt: ContinuousClock.Instant
    }

    /// A scripted answer, used once by the next matching call.
    enum Scripted: Sendable {
        case tooManyRequests(retryAfter: Int)
        case internalServerError
        /// What a proxy in front of Telegram sends when Telegram is down: an HTML page, not the JSON envelope.
        case badGatewayPage
        /// Any documented error envelope: 403 blocked, 400 with `migrate_to_chat_id`, ...
        case failure(code: Int, description: String, parameters: FakeJSON? = nil)
        /// `ok: true` with a result of the wrong shape.
        case wrongResultShape
        /// Waits, then answers as usual.
        case delay(Duration)
    }

    private struct Script {
        let method: String
        let chatID: Int64?
        let answer: Scripted
    }

    private struct State {
        var port: Int?
        var calls: [Call] = []
        var updates: [FakeJSON] = []
        var scripts: [Script] = []
        var blockedChats: Set<Int64> = []
        var lastMessageID = 0
    }

    private let state = Mutex(State())

    /// Starts the server on a free loopback port, runs `body`, and stops the server.
    static func run<T: Sendable>(_ body: (FakeBotAPI) async throws -> T) async throws -> T {
        let fake = FakeBotAPI()
        return try await LoopbackServer.run(fake.router(), label: "fake-bot-api") { server in
            fake.state.withLock { $0.port = server.port }
            return try await body(fake)
        }
    }

    var baseURL: String {
        "http://127.0.0.1:\(state.withLock { $0.port ?? 0 })"
    }

    /// A client of this server, with a quick timeout and no breaker unless the test brings one.
    func client(
        token: String = FakeBotAPI.token, requestTimeout: Duration = .seconds(20),
        breaker: CircuitBreaker? = nil, logger: Logger = Logger(label: "test")
    ) -> TelegramBotAPI {
        TelegramBotAPI(
            token: BotToken(token),
            configuration: .init(baseURL: baseURL, requestTimeout: requestTimeout, longPollGrace: .seconds(5)),
            breaker: breaker, logger: logger
        )
    }

    /// A client of a port where nothing listens (1 is privileged and unused). AsyncHTTPClient retries a refused
    /// connection until the request's deadline, so the deadline is short.
    static func unreachableClient(
        breaker: CircuitBreaker? = nil, logger: Logger = Logger(label: "test")
    ) -> TelegramBotAPI {
        TelegramBotAPI(
            token: BotToken(token), configuration: .init(baseURL: "http://127.0.0.1:1", requestTimeout: .seconds(1)),
            breaker: breaker, logger: logger
        )
    }

    var calls: [Call] { state.withLock { $0.calls } }

    func calls(to method: String) -> [Call] { calls.filter { $0.method == method } }

    /// Queues an update for `getUpdates`; a long poll waiting now returns it at once.
    func push(_ update: FakeJSON) {
        state.withLock { $0.updates.append(update) }
    }

    /// Queues updates given as Telegram would send them.
    func push(updatesJSON: String) throws {
        let updates = try JSONDecoder().decode([FakeJSON].self, from: Data(updatesJSON.utf8))
        state.withLock { $0.updates.append(contentsOf: updates) }
    }

    /// The next calls of `method` (to `chatID` when given) get these answers, one each, in order.
    func script(_ method: String, chatID: Int64? = nil, _ answers: Scripted...) {
        state.withLock { state in
            state.scripts += answers.map { Script(method: method, chatID: chatID, answer: $0) }
        }
    }

    /// From now on every `sendMessage` to `chatID` answers 403 as for a user who blocked the bot.
    func block(chatID: Int64) {
        _ = state.withLock { $0.blockedChats.insert(chatID) }
    }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post(":botPath/:method") { request, context in
            let body = try await request.body.collect(upTo: 1 << 20)
            return await self.answer(
                botPath: context.parameters.get("botPath") ?? "", method: context.parameters.get("method") ?? "",
                body: body, contentType: request.headers[.contentType]
            )
        }
        return router
    }

    private func answer(botPath: String, method: String, body: ByteBuffer, contentType: String?) async -> Response {
        guard botPath == "bot" + Self.token else {
            return Self.failure(401, "Unauthorized")
        }
        let parameters =
            contentType?.hasPrefix("multipart/form-data") == true
            ? Self.formFields(body, contentType: contentType ?? "")
            : (try? JSONDecoder().decode(FakeJSON.self, from: Data(String(buffer: body).utf8))) ?? .object([:])
        let chatID = parameters["chat_id"]?.int
        let scripted = state.withLock { state -> Scripted? in
            state.calls.append(Call(method: method, body: parameters, contentType: contentType, receivedAt: .now))
            guard
                let index = state.scripts.firstIndex(where: { $0.method == method && ($0.chatID ?? chatID) == chatID })
            else { return nil }
            return state.scripts.remove(at: index).answer
        }
        switch scripted {
        case .tooManyRequests(let retryAfter):
            return Self.failure(
                429, "Too Many Requests: retry after \(retryAfter)",
                parameters: ["retry_after": .int(Int64(retryAfter))]
            )
        case .internalServerError:
            return Self.failure(500, "Internal Server Error")
        case .badGatewayPage:
            return Response(
                status: .badGateway, headers: [.contentType: "text/html"],
                body: .init(byteBuffer: ByteBuffer(string: "<html><body><h1>502 Bad Gateway</h1></body></html>"))
            )
        case .failure(let code, let description, let parameters):
            return Self.failure(code, description, parameters: parameters)
        case .wrongResultShape:
            return Self.success(["unexpected": "shape"])
        case .delay(let duration):
            try? await Task.sleep(for: duration)
        case nil:
            break
        }
        return await answer(method: method, parameters: parameters)
    }

    private func answer(method: String, parameters: FakeJSON) async -> Response {
        switch method {
        case "getMe":
            return Self.success(Self.bot)
        case "getUpdates":
            return Self.success(.array(await pollUpdates(parameters)))
        case "sendMessage":
            guard let chatID = parameters["chat_id"]?.int, let text = parameters["text"]?.string, !text.isEmpty else {
                return Self.failure(400, "Bad Request: message text is empty")
            }
            guard let messageID = newMessageID(in: chatID) else { return Self.blocked }
            return Self.success(
                .object(Self.message(id: messageID, chatID: chatID, text: text, markup: parameters["reply_markup"])))
        case "sendDocument":
            guard let chatID = parameters["chat_id"]?.int, let file = parameters["document"],
                let name = file["file_name"]?.string
            else {
                return Self.failure(400, "Bad Request: there is no document in the request")
            }
            guard let messageID = newMessageID(in: chatID) else { return Self.blocked }
            var message = Self.message(id: messageID, chatID: chatID, text: nil, markup: nil)
            message["caption"] = parameters["caption"]
            message["document"] = [
                "file_name": .string(name), "mime_type": file["content_type"] ?? "application/octet-stream",
                "file_id": .string("file-\(messageID)"), "file_unique_id": .string("unique-\(messageID)"),
                "file_size": .int(Int64(file["contents"]?.string?.utf8.count ?? 0)),
            ]
            return Self.success(.object(message))
        case "editMessageReplyMarkup":
            guard let chatID = parameters["chat_id"]?.int, let messageID = parameters["message_id"]?.int else {
                return Self.failure(400, "Bad Request: message to edit not found")
            }
            return Self.success(
                .object(Self.message(id: messageID, chatID: chatID, text: "…", markup: parameters["reply_markup"])))
        case "setWebhook":
            return Self.success(true, description: "Webhook was set")
        case "deleteWebhook":
            return Self.success(true, description: "Webhook was deleted")
        case "answerCallbackQuery", "sendChatAction", "setMyCommands":
            return Self.success(true)
        default:
            return Self.failure(404, "Not Found")
        }
    }

    /// Confirms (drops) updates below `offset`, then returns what is pending, waiting up to `timeout` seconds for
    /// something to arrive when nothing is.
    private func pollUpdates(_ parameters: FakeJSON) async -> [FakeJSON] {
        let offset = parameters["offset"]?.int
        let deadline = ContinuousClock.now + .seconds(parameters["timeout"]?.int ?? 0)
        while true {
            let pending = state.withLock { state -> [FakeJSON] in
                if let offset { state.updates.removeAll { ($0["update_id"]?.int ?? 0) < offset } }
                return Array(state.updates.prefix(100))
            }
            // A long poll also ends when the server shuts down, which waits for the requests in hand.
            if !pending.isEmpty || ContinuousClock.now >= deadline || Task.isShuttingDownGracefully { return pending }
            do { try await Task.sleep(for: .milliseconds(10)) } catch { return [] }
        }
    }

    /// A multipart/form-data body as Telegram reads it: each field by name, a file as its name, type and contents.
    /// `chat_id` as a number, as a JSON body would carry it. Anything unreadable gives no fields at all.
    private static func formFields(_ body: ByteBuffer, contentType: String) -> FakeJSON {
        guard let boundary = contentType.components(separatedBy: "boundary=").last, boundary != contentType else {
            return .object([:])
        }
        var fields: [String: FakeJSON] = [:]
        var headers: [String: String] = [:]
        var content = ByteBuffer()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { chunk in content.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let disposition = dispositionParameters(headers["content-disposition"] ?? "")
            if let name = disposition["name"] {
                let text = String(buffer: content)
                if let fileName = disposition["filename"] {
                    var file: [String: FakeJSON] = ["file_name": .string(fileName), "contents": .string(text)]
                    file["content_type"] = headers["content-type"].map(FakeJSON.string)
                    fields[name] = .object(file)
                } else {
                    fields[name] = name == "chat_id" ? Int64(text).map(FakeJSON.int) ?? .string(text) : .string(text)
                }
            }
            headers = [:]
            content = ByteBuffer()
        }
        do { try parser.execute(body) } catch { return .object([:]) }
        return .object(fields)
    }

    /// `form-data; name="document"; filename="a.json"` → name and filename.
    private static func dispositionParameters(_ header: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for item in header.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            parameters[pair[0]] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return parameters
    }

    private static let bot: FakeJSON = [
        "id": 7_000_000_001, "is_bot": true, "first_name": "Selfology", "username": "selfology_bot",
        "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
    ]

    /// The id of a new message in `chatID`; nil when the person blocked the bot.
    private func newMessageID(in chatID: Int64) -> Int64? {
        state.withLock { state in
            guard !state.blockedChats.contains(chatID) else { return nil }
            state.lastMessageID += 1
            return Int64(state.lastMessageID)
        }
    }

    private static var blocked: Response { failure(403, "Forbidden: bot was blocked by the user") }

    private static func message(id: Int64, chatID: Int64, text: String?, markup: FakeJSON?) -> [String: FakeJSON] {
        var message: [String: FakeJSON] = [
            "message_id": .int(id), "from": bot,
            "chat": ["id": .int(chatID), "first_name": "Anna", "username": "anna", "type": "private"],
            "date": .int(Int64(Date().timeIntervalSince1970)),
        ]
        message["text"] = text.map(FakeJSON.string)
        message["reply_markup"] = markup
        return message
    }

    private static func success(_ result: FakeJSON, description: String? = nil) -> Response {
        var envelope: [String: FakeJSON] = ["ok": true, "result": result]
        envelope["description"] = description.map(FakeJSON.string)
        return json(.ok, .object(envelope))
    }

    private static func failure(_ code: Int, _ description: String, parameters: FakeJSON? = nil) -> Response {
        var envelope: [String: FakeJSON] = [
            "ok": false, "error_code": .int(Int64(code)), "description": .string(description),
        ]
        envelope["parameters"] = parameters
        return json(.init(code: code), .object(envelope))
    }

    private static func json(_ status: HTTPResponse.Status, _ value: FakeJSON) -> Response {
        let data = (try? JSONEncoder().encode(value)) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data))
        )
    }
}
