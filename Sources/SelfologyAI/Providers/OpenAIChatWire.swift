import SelfologyCore

/// The body of `POST /chat/completions`, as the API reference names the fields.
struct OpenAIChatRequest: Encodable {
    struct Message: Encodable {
        let role: String
        let content: String
    }

    struct ResponseFormat: Encodable {
        struct JSONSchema: Encodable {
            let name: String
            let strict: Bool
            let schema: JSONValue
        }
        let type: String
        let jsonSchema: JSONSchema?

        enum CodingKeys: String, CodingKey {
            case type
            case jsonSchema = "json_schema"
        }
    }

    struct StreamOptions: Encodable {
        let includeUsage: Bool

        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    let model: String
    let messages: [Message]
    let tokenLimitField: OpenAIConfiguration.TokenLimitField
    let maxOutputTokens: Int
    let temperature: Double?
    let responseFormat: ResponseFormat?
    let stream: Bool

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(model, forKey: Key("model"))
        try container.encode(messages, forKey: Key("messages"))
        try container.encode(maxOutputTokens, forKey: Key(tokenLimitField.rawValue))
        try container.encodeIfPresent(temperature, forKey: Key("temperature"))
        try container.encodeIfPresent(responseFormat, forKey: Key("response_format"))
        if stream {
            try container.encode(true, forKey: Key("stream"))
            // Without this the stream carries no token counts at all.
            try container.encode(StreamOptions(includeUsage: true), forKey: Key("stream_options"))
        }
    }
}

struct OpenAIUsage: Decodable {
    let promptTokens: Int
    let completionTokens: Int

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }

    var tokenUsage: TokenUsage { TokenUsage(inputTokens: promptTokens, outputTokens: completionTokens) }
}

/// The parts of a chat completion this adapter reads.
struct OpenAIChatResponse: Decodable {
    struct Choice: Decodable {
        struct Message: Decodable {
            let content: String?
            let refusal: String?
        }
        let message: Message
        let finishReason: String?

        enum CodingKeys: String, CodingKey {
            case message
            case finishReason = "finish_reason"
        }
    }
    let choices: [Choice]
    let usage: OpenAIUsage?
}

/// One `data:` chunk of a streamed chat completion. The last one before `[DONE]` has empty `choices` and the usage.
struct OpenAIChatChunk: Decodable {
    struct Choice: Decodable {
        struct Delta: Decodable {
            let content: String?
            let refusal: String?
        }
        let delta: Delta?
        let finishReason: String?

        enum CodingKeys: String, CodingKey {
            case delta
            case finishReason = "finish_reason"
        }
    }

    /// An error reported mid-stream.
    struct Failure: Decodable {
        let type: String?
    }

    let choices: [Choice]?
    let usage: OpenAIUsage?
    let error: Failure?
}
