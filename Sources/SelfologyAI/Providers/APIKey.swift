/// A provider's secret key. Printing, interpolating, dumping or reflecting it shows a placeholder, so a key cannot
/// reach a log line or an error text by accident; only the request builders read `secret`.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let secret: String

    public init(_ secret: String) {
        self.secret = secret
    }

    public var description: String { "APIKey(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }

    /// `text` with every occurrence of the key replaced, for error text from lower layers.
    func redacting(_ text: String) -> String {
        guard !secret.isEmpty else { return text }
        return text.replacing(secret, with: "<key>")
    }
}

extension Optional where Wrapped == APIKey {
    func redacting(_ text: String) -> String {
        self?.redacting(text) ?? text
    }
}
