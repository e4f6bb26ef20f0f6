import NIOCore

/// Builds a streamed chat completion from its `data:` chunks: text deltas as they come, the finish reason, the usage
/// from the last chunk (`stream_options.include_usage`), and the whole at `data: [DONE]`.
struct OpenAIStreamAssembler {
    private var text = ""
    private var finishReason: String?
    private var usage: TokenUsage?
    private(set) var isFinished = false

    mutating func consume(_ event: ServerSentEvent) throws -> [StreamPiece] {
        if event.data == "[DONE]" { return [finish()] }
        let chunk = try ProviderHTTP.decode(OpenAIChatChunk.self, from: ByteBuffer(string: event.data))
        if let error = chunk.error { throw ProviderFailure.classifyStreamError(type: error.type) }
        if let chunkUsage = chunk.usage { usage = chunkUsage.tokenUsage }
        guard let choice = chunk.choices?.first else { return [] }
        if let refusal = choice.delta?.refusal, !refusal.isEmpty { throw ModelCallError.refused }
        if let reason = choice.finishReason {
            if reason == "content_filter" { throw ModelCallError.refused }
            finishReason = reason
        }
        guard let delta = choice.delta?.content, !delta.isEmpty else { return [] }
        text += delta
        return [.text(delta)]
    }

    /// The body ended without `[DONE]`: complete if a finish reason came (some compatible servers omit `[DONE]`),
    /// otherwise the stream was cut off.
    mutating func finishAtEndOfBody() throws -> StreamPiece {
        guard finishReason != nil else { throw ModelCallError.malformedResponse("stream ended before it finished") }
        return finish()
    }

    private mutating func finish() -> StreamPiece {
        isFinished = true
        return .finished(Completion(text: text, usage: usage ?? .zero, finishReason: finishReason))
    }
}
