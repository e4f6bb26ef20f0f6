import SelfologyCore

/// The body of `POST /v1/messages`. The system prompt is the top-level `system`; a structured request offers one
/// tool whose `input_schema` is the schema and forces it with `tool_choice`.
struct AnthropicMessagesRequest: Encodable {
    struct Message: Encodable {
        let role: String
        let content: String
    }

    struct Tool: Encodable {
        let name: String
        let description: String
        let inputSchema: JSONValue

        enum CodingKeys: String, CodingKey {
            case name, description
            case inputSchema = "input_schema"
        }
    }

    struct ToolChoice: Encodable {
        let type = "tool"
        let name: String
    }

    let model: String
    let maxTokens: Int
    let system: String?
    let messages: [Message]
    let temperature: Double?
    let tools: [Tool]?
    let toolChoice: ToolChoice?
    let stream: Bool?

    enum CodingKeys: String, CodingKey {
        case model, system, messages, temperature, tools, stream
        case maxTokens = "max_tokens"
        case toolChoice = "tool_choice"
    }
}

struct AnthropicUsage: Decodable {
    let inputTokens: Int?
    let outputTokens: Int?

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
    }
}

/// One content block: `text` or `tool_use` (other kinds are skipped).
struct AnthropicContentBlock: Decodable {
    let type: String
    let text: String?
    let name: String?
    let input: JSONValue?
}

struct AnthropicMessagesResponse: Decodable {
    let content: [AnthropicContentBlock]
    let stopReason: String?
    let usage: AnthropicUsage

    enum CodingKeys: String, CodingKey {
        case content, usage
        case stopReason = "stop_reason"
    }
}

/// Any event of a message stream; which fields are present depends on `type`.
struct AnthropicStreamEvent: Decodable {
    struct StartedMessage: Decodable {
        let usage: AnthropicUsage?
    }
    struct Delta: Decodable {
        let type: String?
        let text: String?
        let partialJSON: String?
        let stopReason: String?

        enum CodingKeys: String, CodingKey {
            case type, text
            case partialJSON = "partial_json"
            case stopReason = "stop_reason"
        }
    }
    struct Failure: Decodable {
        let type: String?
    }

    let type: String
    let message: StartedMessage?
    let contentBlock: AnthropicContentBlock?
    let delta: Delta?
    let usage: AnthropicUsage?
    let error: Failure?

    enum CodingKeys: String, CodingKey {
        case type, message, delta, usage, error
        case contentBlock = "content_block"
    }
}
