/// Where and how to reach the Anthropic Messages API.
public struct AnthropicConfiguration: Sendable {
    /// Without the version path: requests go to `{baseURL}/v1/messages`.
    public var baseURL: String
    /// Sent as `x-api-key`.
    public var apiKey: APIKey
    /// The `anthropic-version` header.
    public var apiVersion: String
    public var maximumResponseBytes: Int

    public init(
        apiKey: APIKey, baseURL: String = "https://api.anthropic.com", apiVersion: String = "2023-06-01",
        maximumResponseBytes: Int = 8 << 20
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.maximumResponseBytes = maximumResponseBytes
    }

    var messagesURL: String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/v1/messages"
    }
}
