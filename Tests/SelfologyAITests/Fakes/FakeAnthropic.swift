import Foundation
import Hummingbird
import NIOCore
import SelfologyTestSupport
import Synchronization

/// A stand-in for api.anthropic.com on 127.0.0.1: `POST /v1/messages`, plain and `stream: true`, in the documented
/// shapes — content blocks (`text`, or `tool_use` when the request forces a tool), `stop_reason`,
/// `usage.input_tokens/output_tokens`, the event sequence message_start / content_block_start / ping /
/// content_block_delta (text_delta, input_json_delta) / content_block_stop / message_delta / message_stop, and the
/// error body `{"type": "error", "error": {"type", "message"}}`. Checks `x-api-key` and `anthropic-version`.
///
/// Same scripting as `FakeOpenAI`: `enqueue(…)`, `setFallback(…)`, `setResponder(…)`; `requests` records everything.
/// A `.reply(text)` to a structured request becomes a `tool_use` block whose input is `text` parsed as JSON.
final class FakeAnthropic: Sendable, StartableFake {
    static let apiKey = "sk-ant-fake-SECRET-91be3d"

    private let script = Mutex(FakeModelScript())
    private let server = FakeServer()

    func start() async throws { try await server.start { await self.handle($0) } }
    func stop() async { await server.stop() }

    /// `http://127.0.0.1:<port>`, as `AnthropicConfiguration.baseURL` expects.
    var baseURL: String { "http://127.0.0.1:\(server.port)" }
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

    private func handle(_ request: RecordedRequest) async -> Response {
        guard request.path == "/v1/messages" else { return Self.error(404, type: "not_found_error") }
        guard request.header("x-api-key") == Self.apiKey else {
            return Self.error(401, type: "authentication_error", message: "invalid x-api-key")
        }
        guard request.header("anthropic-version") == "2023-06-01" else {
            return Self.error(400, type: "invalid_request_error", message: "anthropic-version header is required")
        }
        return await answer(request, script.withLock { $0.next(for: request) })
    }

    private func answer(_ request: RecordedRequest, _ behaviour: FakeModelBehaviour) async -> Response {
        let streamed = request.body?["stream"]?.bool == true
        let tool = request.body?["tool_choice"]?["name"]?.string
        switch behaviour {
        case .reply(let text, let usage):
            return streamed
                ? stream(streamPieces(of: text), tool: tool, delay: .zero, usage: usage)
                : message(text, tool: tool, usage: usage)
        case .stream(let pieces, let delay, let usage):
            return streamed
                ? stream(pieces, tool: tool, delay: delay, usage: usage)
                : message(pieces.joined(), tool: tool, usage: usage)
        case .stall(let pieces):
            let frames = Self.opening(tool: tool, usage: .default) + pieces.map { Self.delta($0, tool: tool) }
            return server.eventStream(frames, delay: .zero, stallAtEnd: true)
        case .delay(let duration, let then):
            try? await Task.sleep(for: duration)
            return await answer(request, then)
        case .hang:
            await server.waitUntilStopped()
            return Self.error(529, type: "overloaded_error")
        case .status(let status, let type, let retryAfter, let message):
            return Self.error(status, type: type, message: message, retryAfter: retryAfter)
        case .streamError(let pieces, let type):
            guard streamed else { return Self.error(500, type: type) }
            let failure: FakeJSON = ["type": "error", "error": ["type": .string(type), "message": "failed"]]
            let frames =
                Self.opening(tool: tool, usage: .default) + pieces.map { Self.delta($0, tool: tool) }
                + [Self.event("error", failure)]
            return server.eventStream(frames, delay: .zero)
        case .malformed:
            // For a forced tool: partial JSON that never closes, or a text block instead of the tool.
            return streamed
                ? stream(["{\"mood\": ", "\"cal"], tool: tool, delay: .zero, usage: .default)
                : message("Here is your answer: calm", tool: nil, usage: .default)
        case .refusal(let text):
            return streamed ? refusalStream(text) : refusalMessage(text)
        case .rawEvents(let text, let chunkBytes, let delay):
            return server.eventStream(text, chunkBytes: chunkBytes, delay: delay)
        case .raw(let status, let body, let contentType):
            return FakeServer.raw(status, body, contentType: contentType)
        }
    }

    private func message(_ text: String, tool: String?, usage: FakeUsage) -> Response {
        let block: FakeJSON
        let stopReason: FakeJSON
        if let tool, let input = FakeJSON.parse(text) {
            block = ["type": "tool_use", "id": "toolu_fake", "name": .string(tool), "input": input]
            stopReason = "tool_use"
        } else {
            block = ["type": "text", "text": .string(text)]
            stopReason = "end_turn"
        }
        return FakeServer.json(200, Self.messageObject(content: [block], stopReason: stopReason, usage: usage))
    }

    private func refusalMessage(_ text: String) -> Response {
        FakeServer.json(
            200,
            Self.messageObject(
                content: [["type": "text", "text": .string(text)]], stopReason: "refusal", usage: .default))
    }

    private static func messageObject(content: [FakeJSON], stopReason: FakeJSON, usage: FakeUsage) -> FakeJSON {
        [
            "id": "msg_fake", "type": "message", "role": "assistant", "model": "claude-sonnet-4-20250514",
            "content": .array(content), "stop_reason": stopReason, "stop_sequence": nil,
            "usage": ["input_tokens": .int(Int64(usage.input)), "output_tokens": .int(Int64(usage.output))],
        ]
    }

    private func stream(_ pieces: [String], tool: String?, delay: Duration, usage: FakeUsage) -> Response {
        let frames =
            Self.opening(tool: tool, usage: usage) + pieces.map { Self.delta($0, tool: tool) }
            + Self.closing(stopReason: tool == nil ? "end_turn" : "tool_use", usage: usage)
        return server.eventStream(frames, delay: delay)
    }

    private func refusalStream(_ text: String) -> Response {
        let frames =
            Self.opening(tool: nil, usage: .default) + [Self.delta(text, tool: nil)]
            + Self.closing(stopReason: "refusal", usage: .default)
        return server.eventStream(frames, delay: .zero)
    }

    private static func opening(tool: String?, usage: FakeUsage) -> [String] {
        let start: FakeJSON = [
            "type": "message_start",
            "message": [
                "id": "msg_fake", "type": "message", "role": "assistant", "content": [],
                "model": "claude-sonnet-4-20250514", "stop_reason": nil, "stop_sequence": nil,
                "usage": ["input_tokens": .int(Int64(usage.input)), "output_tokens": 1],
            ],
        ]
        let block: FakeJSON =
            tool.map { ["type": "tool_use", "id": "toolu_fake", "name": .string($0), "input": [:]] }
            ?? ["type": "text", "text": ""]
        return [
            event("message_start", start),
            event("content_block_start", ["type": "content_block_start", "index": 0, "content_block": block]),
            event("ping", ["type": "ping"]),
        ]
    }

    private static func delta(_ piece: String, tool: String?) -> String {
        let delta: FakeJSON =
            tool == nil
            ? ["type": "text_delta", "text": .string(piece)]
            : ["type": "input_json_delta", "partial_json": .string(piece)]
        return event("content_block_delta", ["type": "content_block_delta", "index": 0, "delta": delta])
    }

    private static func closing(stopReason: String, usage: FakeUsage) -> [String] {
        [
            event("content_block_stop", ["type": "content_block_stop", "index": 0]),
            event(
                "message_delta",
                [
                    "type": "message_delta", "delta": ["stop_reason": .string(stopReason), "stop_sequence": nil],
                    "usage": ["output_tokens": .int(Int64(usage.output))],
                ]),
            event("message_stop", ["type": "message_stop"]),
        ]
    }

    private static func event(_ name: String, _ data: FakeJSON) -> String {
        "event: \(name)\ndata: \(data.text)\n\n"
    }

    private static func error(
        _ status: Int, type: String, message: String = "Something went wrong.", retryAfter: String? = nil
    ) -> Response {
        var headers: HTTPFields = [:]
        if let retryAfter { headers[.retryAfter] = retryAfter }
        return FakeServer.json(
            status,
            [
                "type": "error", "error": ["type": .string(type), "message": .string(message)],
                "request_id": "req_fake",
            ],
            headers: headers)
    }
}
