import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1
import SelfologyCore

/// A Claude model behind the Anthropic Messages API (`POST {baseURL}/v1/messages`). Structured output is one forced
/// tool whose input is the answer: `Completion.text` is that input as JSON text.
public struct AnthropicChatModel: LanguageModel {
    public let id: ModelID
    private let configuration: AnthropicConfiguration
    private let http: ProviderHTTP
    private let logger: Logger

    /// `model` is sent as is (`claude-sonnet-4-20250514`); `id` is `anthropic:{model}`.
    public init(
        model: String, configuration: AnthropicConfiguration, httpClient: HTTPClient,
        logger: Logger = Logger(label: "selfology.ai.anthropic")
    ) {
        self.id = ModelID(provider: "anthropic", name: model)
        self.configuration = configuration
        self.http = ProviderHTTP(
            client: httpClient, key: configuration.apiKey, maximumResponseBytes: configuration.maximumResponseBytes)
        self.logger = logger
    }

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        try await ModelCallLog.around(id, logger) {
            try await CallDeadline.run(request.timeout) {
                let response = try await post(request, stream: false)
                let body = try await http.collect(response)
                return try Self.completion(
                    from: ProviderHTTP.decode(AnthropicMessagesResponse.self, from: body), output: request.output)
            }
        }
    }

    public func stream(_ request: CompletionRequest) -> AsyncThrowingStream<StreamPiece, any Error> {
        PieceStream.run(id: id, logger: logger, timeout: request.timeout) { yield in
            let response = try await post(request, stream: true)
            var assembler = AnthropicStreamAssembler(structured: request.output != nil)
            var parser = ServerSentEventParser()
            for try await chunk in http.chunks(of: response) {
                for event in try parser.feed(chunk) {
                    for piece in try assembler.consume(event) { yield(piece) }
                    if assembler.isFinished { return }
                }
            }
            throw ModelCallError.malformedResponse("stream ended before message_stop")
        }
    }

    private func post(_ request: CompletionRequest, stream: Bool) async throws -> HTTPClientResponse {
        var headers = HTTPHeaders()
        headers.add(name: "x-api-key", value: configuration.apiKey.secret)
        headers.add(name: "anthropic-version", value: configuration.apiVersion)
        if stream { headers.add(name: "accept", value: "text/event-stream") }
        return try await http.post(
            configuration.messagesURL, headers: headers, body: body(of: request, stream: stream),
            timeout: request.timeout)
    }

    func body(of request: CompletionRequest, stream: Bool) -> AnthropicMessagesRequest {
        let tool = request.output.map {
            AnthropicMessagesRequest.Tool(
                name: $0.name, description: "Record the answer as one JSON document of this shape.",
                inputSchema: $0.schema)
        }
        return AnthropicMessagesRequest(
            model: id.name, maxTokens: request.maxOutputTokens, system: request.system.isEmpty ? nil : request.system,
            messages: request.messages.map { .init(role: $0.role.rawValue, content: $0.content) },
            temperature: request.temperature, tools: tool.map { [$0] },
            toolChoice: request.output.map { .init(name: $0.name) }, stream: stream ? true : nil)
    }

    static func completion(from response: AnthropicMessagesResponse, output: StructuredOutput?) throws -> Completion {
        if response.stopReason == "refusal" { throw ModelCallError.refused }
        let usage = TokenUsage(
            inputTokens: response.usage.inputTokens ?? 0, outputTokens: response.usage.outputTokens ?? 0)
        guard let output else {
            let text = response.content.filter { $0.type == "text" }.compactMap(\.text).joined()
            return Completion(text: text, usage: usage, finishReason: response.stopReason)
        }
        guard
            let input = response.content.first(where: { $0.type == "tool_use" && $0.name == output.name })?.input
        else { throw ModelCallError.malformedResponse("no tool_use block named \(output.name)") }
        return Completion(text: try jsonText(input), usage: usage, finishReason: response.stopReason)
    }

    static func jsonText(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw ModelCallError.malformedResponse("tool input could not be encoded")
        }
    }
}
