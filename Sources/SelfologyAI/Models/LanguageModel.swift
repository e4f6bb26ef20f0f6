import SelfologyCore

/// One turn given to a model. The system prompt travels separately (`CompletionRequest.system`) because the
/// providers place it differently (OpenAI: a `system` message; Anthropic: the top-level `system` field).
public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable { case user, assistant }
    public let role: Role
    public let content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}

/// Asks the model to answer with one JSON document that satisfies `schema` (OpenAI: `response_format` with a
/// strict `json_schema`; Anthropic: one forced tool whose `input_schema` is the schema).
public struct StructuredOutput: Sendable, Equatable {
    /// `^[a-zA-Z0-9_-]{1,64}$`, as both APIs require for schema and tool names.
    public let name: String
    public let schema: JSONValue

    public init(name: String, schema: JSONValue) {
        self.name = name
        self.schema = schema
    }
}

public struct CompletionRequest: Sendable, Equatable {
    public var system: String
    public var messages: [ChatMessage]
    public var maxOutputTokens: Int
    public var temperature: Double?
    /// nil: free text.
    public var output: StructuredOutput?
    /// The whole call (connect, response, body or stream) must finish within this; the adapter fails with
    /// `ModelCallError.timedOut` when it does not. The router also enforces it from outside.
    public var timeout: Duration

    public init(
        system: String, messages: [ChatMessage], maxOutputTokens: Int, temperature: Double? = nil,
        output: StructuredOutput? = nil, timeout: Duration
    ) {
        self.system = system
        self.messages = messages
        self.maxOutputTokens = maxOutputTokens
        self.temperature = temperature
        self.output = output
        self.timeout = timeout
    }
}

public struct TokenUsage: Sendable, Equatable, Codable {
    public var inputTokens: Int
    public var outputTokens: Int

    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    public static let zero = TokenUsage(inputTokens: 0, outputTokens: 0)

    public static func + (left: TokenUsage, right: TokenUsage) -> TokenUsage {
        TokenUsage(
            inputTokens: left.inputTokens + right.inputTokens, outputTokens: left.outputTokens + right.outputTokens)
    }
}

public struct Completion: Sendable, Equatable {
    /// The answer's text; for a structured request, the JSON document as text.
    public let text: String
    public let usage: TokenUsage
    /// As the provider names it (`stop`, `length`, `end_turn`, `max_tokens`, `tool_use`, …); nil if not given.
    public let finishReason: String?

    public init(text: String, usage: TokenUsage, finishReason: String?) {
        self.text = text
        self.usage = usage
        self.finishReason = finishReason
    }
}

/// A piece of a streamed answer: text as it arrives, then exactly one `.finished` with the assembled whole.
public enum StreamPiece: Sendable, Equatable {
    case text(String)
    case finished(Completion)
}

/// A chat model behind one provider's API. One call is one HTTP request: no retries, no fallback (the router
/// owns those). Errors are `ModelCallError`. Both methods stop promptly when their task is cancelled.
public protocol LanguageModel: Sendable {
    var id: ModelID { get }
    func complete(_ request: CompletionRequest) async throws -> Completion
    /// Server-sent events assembled into pieces; the stream ends after `.finished` or throws a `ModelCallError`.
    func stream(_ request: CompletionRequest) -> AsyncThrowingStream<StreamPiece, any Error>
}

public struct Embeddings: Sendable, Equatable {
    /// One vector per input text, in input order.
    public let vectors: [[Float]]
    public let usage: TokenUsage

    public init(vectors: [[Float]], usage: TokenUsage) {
        self.vectors = vectors
        self.usage = usage
    }
}

/// A text-embedding model (OpenAI `/v1/embeddings` with `dimensions`, or a compatible server).
public protocol EmbeddingModel: Sendable {
    var id: ModelID { get }
    var dimensions: Int { get }
    func embed(_ texts: [String], timeout: Duration) async throws -> Embeddings
}
