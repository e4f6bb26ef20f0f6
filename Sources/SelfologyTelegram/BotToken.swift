/// The bot's secret token. Printing, interpolating, dumping or reflecting it shows a placeholder, so a token can not
/// leak into logs or error text by accident; only the request path reads `secret`.
public struct BotToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let secret: String

    public init(_ secret: String) {
        self.secret = secret
    }

    public var description: String { "BotToken(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }

    /// `text` with every occurrence of the token replaced, for error text from lower layers that might quote the URL.
    func redacting(_ text: String) -> String {
        guard !secret.isEmpty else { return text }
        return text.replacing(secret, with: "<token>")
    }
}
