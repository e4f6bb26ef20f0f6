import AsyncHTTPClient
import Logging
import NIOHTTP1
import SelfologyCore

/// A chat model behind the OpenAI Chat Completions API (`POST {baseURL}/chat/completions`), at OpenAI or on a
/// compatible server. One call is one request; the shared `HTTPClient` belongs to the caller.
public struct OpenAIChatModel: LanguageModel {
    public let id: ModelID
    private let configuration: OpenAIConfiguration
    private let http: ProviderHTTP
    private let logger: Logger

    /// `model` is sent as is (`gpt-4o-mini`, `llama3.1:8b`); `id` is `{configuration.provider}:{model}`.
    public init(
        model: String, configuration: OpenAIConfiguration, httpClient: HTTPClient,
        logger: Logger = Logger(label: "selfology.ai.openai")
    ) {
        self.id = ModelID(provider: configuration.provider, name: model)
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
                return try Self.completion(from: ProviderHTTP.decode(OpenAIChatResponse.self, from: body))
            }
        }
    }

    public func stream(_ request: CompletionRequest) -> AsyncThrowingStream<StreamPiece, any Error> {
        PieceStream.run(id: id, logger: logger, timeout: request.timeout) { yield in
            let response = try await post(request, stream: true)
            var assembler = OpenAIStreamAssembler()
            var parser = ServerSentEventParser()
            for try await chunk in http.chunks(of: response) {
                for event in try parser.feed(chunk) {
                    for piece in try assembler.consume(event) { yield(piece) }
                    if assembler.isFinished { return }
                }
            }
            yield(try assembler.finishAtEndOfBody())
        }
    }

    private func post(_ request: CompletionRequest, stream: Bool) async throws -> HTTPClientResponse {
        var headers = HTTPHeaders()
        if let key = configuration.apiKey { headers.add(name: "authorization", value: "Bearer \(key.secret)") }
        if stream { headers.add(name: "accept", value: "text/event-stream") }
        return try await http.post(
            configuration.url("/chat/completions"), headers: headers, body: body(of: request, stream: stream),
            timeout: request.timeout)
    }

    func body(of request: CompletionRequest, stream: Bool) -> OpenAIChatRequest {
        var system = request.system
        var responseFormat: OpenAIChatRequest.ResponseFormat?
        if let output = request.output {
            switch configuration.structuredOutput {
            case .jsonSchema:
                responseFormat = .init(
                    type: "json_schema", jsonSchema: .init(name: output.name, strict: true, schema: output.schema))
            case .jsonObject:
                responseFormat = .init(type: "json_object", jsonSchema: nil)
                system = SchemaInstruction.appended(to: system, output)
            case .none:
                system = SchemaInstruction.appended(to: system, output)
            }
        }
        let turns = request.messages.map { OpenAIChatRequest.Message(role: $0.role.rawValue, content: $0.content) }
        return OpenAIChatRequest(
            model: id.name,
            messages: (system.isEmpty ? [] : [.init(role: "system", content: system)]) + turns,
            tokenLimitField: configuration.tokenLimitField, maxOutputTokens: request.maxOutputTokens,
            temperature: request.temperature, responseFormat: responseFormat, stream: stream)
    }

    static func completion(from response: OpenAIChatResponse) throws -> Completion {
        guard let choice = response.choices.first else { throw ModelCallError.malformedResponse("no choices") }
        if let refusal = choice.message.refusal, !refusal.isEmpty { throw ModelCallError.refused }
        if choice.finishReason == "content_filter" { throw ModelCallError.refused }
        guard let content = choice.message.content else {
            throw ModelCallError.malformedResponse("no content in choices.0.message")
        }
        return Completion(
            text: content, usage: response.usage?.tokenUsage ?? .zero, finishReason: choice.finishReason)
    }
}
