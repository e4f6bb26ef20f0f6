/// Names one model at one provider, as configured: `openai:gpt-4o`, `anthropic:claude-sonnet-4-20250514`,
/// `compatible:llama3.1`. The provider part picks the adapter; the name is sent to the API as is.
public struct ModelID: Hashable, Sendable, CustomStringConvertible, Codable {
    public let provider: String
    public let name: String

    public init(provider: String, name: String) {
        self.provider = provider
        self.name = name
    }

    /// Parses `provider:name`; the name may itself contain colons (Ollama tags such as `llama3.1:8b`).
    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let provider = String(text[..<colon])
        let name = String(text[text.index(after: colon)...])
        guard !provider.isEmpty, !name.isEmpty else { return nil }
        self.init(provider: provider, name: name)
    }

    public var description: String { "\(provider):\(name)" }
}
