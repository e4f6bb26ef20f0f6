import Foundation
import NIOCore
import SelfologyCore

/// Builds a streamed message from its events: input tokens from `message_start`, text from `text_delta` (or, for a
/// structured request, the tool input from `input_json_delta.partial_json`), the stop reason and the cumulative
/// output tokens from `message_delta`, the whole at `message_stop`. `ping` and unknown event types are skipped, as the
/// API asks; an `error` event fails the call like the same error as an HTTP status would.
struct AnthropicStreamAssembler {
    let structured: Bool
    private var text = ""
    private var inputTokens = 0
    private var outputTokens = 0
    private var stopReason: String?
    private(set) var isFinished = false

    init(structured: Bool) {
        self.structured = structured
    }

    mutating func consume(_ event: ServerSentEvent) throws -> [StreamPiece] {
        let payload = try ProviderHTTP.decode(AnthropicStreamEvent.self, from: ByteBuffer(string: event.data))
        switch payload.type {
        case "message_start":
            inputTokens = payload.message?.usage?.inputTokens ?? 0
            outputTokens = payload.message?.usage?.outputTokens ?? 0
        case "content_block_delta":
            let delta = payload.delta
            let piece = structured ? delta?.partialJSON : delta?.text
            let expected = structured ? "input_json_delta" : "text_delta"
            guard delta?.type == expected, let piece, !piece.isEmpty else { return [] }
            text += piece
            return [.text(piece)]
        case "message_delta":
            if let reason = payload.delta?.stopReason { stopReason = reason }
            if let tokens = payload.usage?.outputTokens { outputTokens = tokens }
            if let tokens = payload.usage?.inputTokens { inputTokens = tokens }
        case "message_stop":
            return [try finish()]
        case "error":
            throw ProviderFailure.classifyStreamError(type: payload.error?.type)
        default:
            break
        }
        return []
    }

    private mutating func finish() throws -> StreamPiece {
        isFinished = true
        if stopReason == "refusal" { throw ModelCallError.refused }
        if structured {
            // The pieces are the tool input's JSON text; it must add up to one JSON document.
            guard (try? JSONValue.parse(text)) != nil else {
                throw ModelCallError.malformedResponse("streamed tool input is not JSON")
            }
        }
        let usage = TokenUsage(inputTokens: inputTokens, outputTokens: outputTokens)
        return .finished(Completion(text: text, usage: usage, finishReason: stopReason))
    }
}
