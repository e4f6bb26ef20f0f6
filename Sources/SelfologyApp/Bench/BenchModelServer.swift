import Foundation
import Hummingbird
import ServiceLifecycle
import Synchronization

/// A stand-in for OpenAI's Chat Completions API for `selfology bench --ai`, over real HTTP on loopback in the
/// documented wire format: every request gets a valid instant analysis (or, asked for a crisis check, a safe one)
/// after `delay`, or no answer at all when `hangs`. It exists to measure the router, not to test it (the tests
/// have fakes of their own).
final class BenchModelServer: Sendable {
    private let behaviour = Mutex<(delay: Duration, hangs: Bool)>((.zero, false))

    func answer(after delay: Duration) { behaviour.withLock { $0 = (delay, false) } }
    func hang() { behaviour.withLock { $0 = (.zero, true) } }

    static let completion = Data(
        #"""
        {"id":"chatcmpl-bench","object":"chat.completion","created":1764000000,"model":"gpt-4o-mini",
        "choices":[{"index":0,"message":{"role":"assistant","content":"{\"valence\":0.3,\"emotion\":\"calm\",\"quality\":0.6,\"insight\":\"Thank you, that says a lot about what matters to you.\",\"word_count\":12,\"said_tired\":false}","refusal":null},"finish_reason":"stop"}],
        "usage":{"prompt_tokens":310,"completion_tokens":42,"total_tokens":352}}
        """#.utf8)
    static let crisisCheck = Data(
        #"""
        {"id":"chatcmpl-bench","object":"chat.completion","created":1764000000,"model":"gpt-4o-mini",
        "choices":[{"index":0,"message":{"role":"assistant","content":"{\"in_danger\":false,\"categories\":[]}","refusal":null},"finish_reason":"stop"}],
        "usage":{"prompt_tokens":240,"completion_tokens":12,"total_tokens":252}}
        """#.utf8)

    /// Runs the server until `body` returns; `body` gets the base URL (with `/v1`).
    func run<T: Sendable>(_ body: @escaping @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("v1/chat/completions") { request, _ -> Response in
            let asked = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let (delay, hangs) = self.behaviour.withLock { $0 }
            // A hanging model holds the request until the client gives up and the connection closes.
            // Ended by the server's graceful shutdown too, so stopping it never waits for an abandoned request.
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: hangs ? .seconds(3600) : delay) }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        bytes: asked.contains(#""name":"crisis_check""#) ? Self.crisisCheck : Self.completion)))
        }
        return try await LoopbackServer.run(router, label: "bench-model-server") { try await body($0.baseURL + "/v1") }
    }
}
