/// Where and how to reach an OpenAI-style chat/embeddings API: api.openai.com (`provider` `openai`) or a compatible
/// server such as Ollama, llama.cpp's server or vLLM (`provider` `compatible`).
public struct OpenAIConfiguration: Sendable {
    /// How a `StructuredOutput` request asks for JSON.
    public enum StructuredOutputMode: Sendable, Equatable {
        /// `response_format: {type: json_schema, json_schema: {name, strict: true, schema}}`: the server enforces the
        /// schema (OpenAI, vLLM, recent Ollama and llama.cpp).
        case jsonSchema
        /// `response_format: {type: json_object}` plus the schema in the system prompt, for servers without
        /// json_schema: the output is JSON but only the prompt asks for the schema.
        case jsonObject
        /// The schema in the system prompt only.
        case none
    }

    /// The request field that carries `CompletionRequest.maxOutputTokens`.
    ///
    /// OpenAI deprecated `max_tokens` in favour of `max_completion_tokens`, and its reasoning models reject
    /// `max_tokens`. Compatible servers were slower to follow: llama.cpp's server only reads `max_completion_tokens`
    /// since early 2026 (ggml-org/llama.cpp#19831) and llama-cpp-python ignores it, while every one of them reads
    /// `max_tokens`. So no single field serves both: `openai(…)` sends `max_completion_tokens`, `compatible(…)`
    /// sends `max_tokens`.
    public enum TokenLimitField: String, Sendable, Equatable {
        case maxCompletionTokens = "max_completion_tokens"
        case maxTokens = "max_tokens"
    }

    /// Up to and including the version path: `https://api.openai.com/v1`, `http://localhost:11434/v1`. Requests go
    /// to `{baseURL}/chat/completions` and `{baseURL}/embeddings`.
    public var baseURL: String
    /// Sent as `Authorization: Bearer …` when present; local servers usually need none.
    public var apiKey: APIKey?
    /// `ModelID.provider`: `openai` or `compatible`.
    public var provider: String
    public var structuredOutput: StructuredOutputMode
    public var tokenLimitField: TokenLimitField
    public var maximumResponseBytes: Int

    public init(
        baseURL: String, apiKey: APIKey?, provider: String, structuredOutput: StructuredOutputMode = .jsonSchema,
        tokenLimitField: TokenLimitField, maximumResponseBytes: Int = 8 << 20
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.provider = provider
        self.structuredOutput = structuredOutput
        self.tokenLimitField = tokenLimitField
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// api.openai.com (or a proxy of it at `baseURL`).
    public static func openAI(apiKey: APIKey, baseURL: String = "https://api.openai.com/v1") -> Self {
        Self(baseURL: baseURL, apiKey: apiKey, provider: "openai", tokenLimitField: .maxCompletionTokens)
    }

    /// An OpenAI-compatible server.
    public static func compatible(
        baseURL: String, apiKey: APIKey? = nil, structuredOutput: StructuredOutputMode = .jsonSchema
    ) -> Self {
        Self(
            baseURL: baseURL, apiKey: apiKey, provider: "compatible", structuredOutput: structuredOutput,
            tokenLimitField: .maxTokens)
    }

    func url(_ path: String) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }
}
