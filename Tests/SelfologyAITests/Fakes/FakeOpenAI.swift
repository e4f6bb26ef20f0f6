import Foundation
import Hummingbird
import NIOCore
import SelfologyTestSupport
import Synchronization

/// A stand-in for api.openai.com (or a compatible server) on 127.0.0.1: `POST /v1/chat/completions` (plain and
/// `stream: true` with `stream_options.include_usage`) and `POST /v1/embeddings`, in the documented shapes, with
/// OpenAI's error body `{"error": {"message", "type", "param", "code"}}`. Every request is recorded.
///
/// ```swift
/// let fake = FakeOpenAI()
/// try await fake.start()
/// defer { Task { await fake.stop() } }   // or `await fake.stop()` at the end
/// fake.enqueue(.reply(#"{"mood":"calm"}"#), .status(429, errorType: "rate_limit_exceeded", retryAfter: "2"))
/// let model = OpenAIChatModel(model: "gpt-4o-mini", configuration: .openAI(apiKey: key, baseURL: fake.baseURL), …)
/// ```
/// With nothing queued a request gets `responder(request)` if set, else `fallback` (`.reply("ok")`). Embeddings are
/// deterministic unit vectors derived from each input text (`reply` behaviours are ignored for them; errors, delays
/// and hangs apply).
final class FakeOpenAI: Sendable, StartableFake {
    static let apiKey = "sk-fake-openai-SECRET-4f9a2c"

    private let script = Mutex(FakeModelScript())
    /// When set, embeddings come back in reverse order (their `index` still right), as the API allows.
    private let reversesEmbeddings = Mutex(false)
    private let server = FakeServer()
    private let requiresKey: Bool

    /// `requiresKey` false answers without an `Authorization` header, like a local server.
    init(requiresKey: Bool = true) {
        self.requiresKey = requiresKey
    }

    func start() async throws { try await server.start { await self.handle($0) } }
    func stop() async { await server.stop() }

    /// `http://127.0.0.1:<port>/v1`, as `OpenAIConfiguration.baseURL` expects.
    var baseURL: String { "http://127.0.0.1:\(server.port)/v1" }
    var requests: [RecordedRequest] { server.requests }

    func enqueue(_ behaviours: FakeModelBehaviour...) {
        script.withLock { $0.queue += behaviours }
    }

    func setFallback(_ behaviour: FakeModelBehaviour) {
        script.withLock { $0.fallback = behaviour }
    }

    func setResponder(_ responder: @escaping @Sendable (RecordedRequest) -> FakeModelBehaviour?) {
        script.withLock { $0.responder = responder }
    }

    func reverseEmbeddingOrder(_ reversed: Bool = true) {
        reversesEmbeddings.withLock { $0 = reversed }
    }

    private func handle(_ request: RecordedRequest) async -> Response {
        guard !requiresKey || request.header("authorization") == "Bearer \(Self.apiKey)" else {
            return Self.error(401, type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key")
        }
        let behaviour = script.withLock { $0.next(for: request) }
        switch request.path {
        case "/v1/chat/completions": return await chat(request, behaviour)
        case "/v1/embeddings": return await embeddings(request, behaviour)
        default: return Self.error(404, type: "invalid_request_error", code: "unknown_url", message: "Unknown URL")
        }
    }

    private func chat(_ request: RecordedRequest, _ behaviour: FakeModelBehaviour) async -> Response {
        let streamed = request.body?["stream"]?.bool == true
        switch behaviour {
        case .reply(let text, let usage):
            return streamed ? stream(streamPieces(of: text), delay: .zero, usage: usage) : completion(text, usage)
        case .stream(let pieces, let delay, let usage):
            return streamed ? stream(pieces, delay: delay, usage: usage) : completion(pieces.joined(), usage)
        case .stall(let pieces):
            return server.eventStream(pieces.map(Self.contentChunk), delay: .zero, stallAtEnd: true)
        case .delay(let duration, let then):
            try? await Task.sleep(for: duration)
            return await chat(request, then)
        case .hang:
            await server.waitUntilStopped()
            return Self.error(503, type: "server_error", code: nil, message: "stopped")
        case .status(let status, let type, let retryAfter, let message):
            return Self.error(status, type: type, code: nil, message: message, retryAfter: retryAfter)
        case .streamError(let pieces, let type):
            guard streamed else { return Self.error(500, type: type, code: nil, message: "failed") }
            let failure: FakeJSON = ["error": ["message": "failed", "type": .string(type), "param": nil, "code": nil]]
            return server.eventStream(pieces.map(Self.contentChunk) + ["data: \(failure.text)\n\n"], delay: .zero)
        case .malformed:
            return streamed
                ? stream(["{\"mood\": ", "\"cal"], delay: .zero, usage: .default)
                : completion("{\"mood\": \"cal", .default)
        case .refusal(let text):
            return streamed ? refusalStream(text) : refusalCompletion(text)
        case .rawEvents(let text, let chunkBytes, let delay):
            return server.eventStream(text, chunkBytes: chunkBytes, delay: delay)
        case .raw(let status, let body, let contentType):
            return FakeServer.raw(status, body, contentType: contentType)
        }
    }

    private func completion(_ text: String, _ usage: FakeUsage, finishReason: String = "stop") -> Response {
        FakeServer.json(
            200,
            [
                "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_760_000_000,
                "model": "gpt-4o-mini-2024-07-18",
                "choices": [
                    [
                        "index": 0, "message": ["role": "assistant", "content": .string(text), "refusal": nil],
                        "logprobs": nil, "finish_reason": .string(finishReason),
                    ]
                ],
                "usage": Self.usage(usage),
            ])
    }

    private func refusalCompletion(_ text: String) -> Response {
        FakeServer.json(
            200,
            [
                "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_760_000_000, "model": "gpt-4o",
                "choices": [
                    [
                        "index": 0, "message": ["role": "assistant", "content": nil, "refusal": .string(text)],
                        "finish_reason": "stop",
                    ]
                ],
                "usage": Self.usage(.default),
            ])
    }

    /// The documented chunk sequence: a role chunk, content chunks, a chunk with `finish_reason`, the usage chunk
    /// with empty `choices`, then `data: [DONE]`.
    private func stream(_ pieces: [String], delay: Duration, usage: FakeUsage) -> Response {
        let role = Self.chunk(delta: ["role": "assistant", "content": ""], finishReason: nil)
        let finish = Self.chunk(delta: [:], finishReason: "stop")
        let usageChunk: FakeJSON = [
            "id": "chatcmpl-fake", "object": "chat.completion.chunk", "choices": [], "usage": Self.usage(usage),
        ]
        let frames =
            [role] + pieces.map(Self.contentChunk) + [finish, "data: \(usageChunk.text)\n\n", "data: [DONE]\n\n"]
        return server.eventStream(frames, delay: delay)
    }

    private func refusalStream(_ text: String) -> Response {
        server.eventStream(
            [
                Self.chunk(delta: ["role": "assistant", "content": nil, "refusal": ""], finishReason: nil),
                Self.chunk(delta: ["refusal": .string(text)], finishReason: nil),
                Self.chunk(delta: [:], finishReason: "stop"), "data: [DONE]\n\n",
            ], delay: .zero)
    }

    private static func contentChunk(_ piece: String) -> String {
        chunk(delta: ["content": .string(piece)], finishReason: nil)
    }

    private static func chunk(delta: FakeJSON, finishReason: String?) -> String {
        let chunk: FakeJSON = [
            "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1_760_000_000, "model": "gpt-4o-mini",
            "choices": [["index": 0, "delta": delta, "finish_reason": finishReason.map(FakeJSON.string) ?? .null]],
            "usage": nil,
        ]
        return "data: \(chunk.text)\n\n"
    }

    private static func usage(_ usage: FakeUsage) -> FakeJSON {
        [
            "prompt_tokens": .int(Int64(usage.input)), "completion_tokens": .int(Int64(usage.output)),
            "total_tokens": .int(Int64(usage.input + usage.output)),
        ]
    }

    private func embeddings(_ request: RecordedRequest, _ behaviour: FakeModelBehaviour) async -> Response {
        switch behaviour {
        case .delay(let duration, let then):
            try? await Task.sleep(for: duration)
            return await embeddings(request, then)
        case .hang:
            await server.waitUntilStopped()
            return Self.error(503, type: "server_error", code: nil, message: "stopped")
        case .status(let status, let type, let retryAfter, let message):
            return Self.error(status, type: type, code: nil, message: message, retryAfter: retryAfter)
        case .raw(let status, let body, let contentType):
            return FakeServer.raw(status, body, contentType: contentType)
        default:
            break
        }
        let inputs = request.body?["input"]?.array?.compactMap(\.string) ?? []
        let dimensions = Int(request.body?["dimensions"]?.int ?? 1536)
        var items: [FakeJSON] = inputs.enumerated().map { index, text in
            [
                "object": "embedding", "index": .int(Int64(index)),
                "embedding": .array(Self.vector(for: text, dimensions: dimensions).map(FakeJSON.double)),
            ]
        }
        if reversesEmbeddings.withLock({ $0 }) { items.reverse() }
        let tokens = inputs.reduce(0) { $0 + $1.split(separator: " ").count }
        return FakeServer.json(
            200,
            [
                "object": "list", "data": .array(items), "model": .string(request.body?["model"]?.string ?? ""),
                "usage": ["prompt_tokens": .int(Int64(tokens)), "total_tokens": .int(Int64(tokens))],
            ])
    }

    /// A unit vector that depends only on the text, so tests can predict it.
    static func vector(for text: String, dimensions: Int) -> [Double] {
        var seed: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var generator = seed
        let raw = (0..<dimensions).map { _ -> Double in
            generator = generator &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(Int64(bitPattern: generator >> 11) % 2001 - 1000) / 1000
        }
        let norm = max(raw.reduce(0) { $0 + $1 * $1 }.squareRoot(), .leastNonzeroMagnitude)
        return raw.map { $0 / norm }
    }

    private static func error(
        _ status: Int, type: String, code: String?, message: String, retryAfter: String? = nil
    ) -> Response {
        var headers: HTTPFields = [:]
        if let retryAfter { headers[.retryAfter] = retryAfter }
        return FakeServer.json(
            status,
            [
                "error": [
                    "message": .string(message), "type": .string(type), "param": nil,
                    "code": code.map(FakeJSON.string) ?? .null,
                ]
            ], headers: headers)
    }
}
