import SelfologyCore
import SelfologyServices

/// Shows the gateway's messages in a terminal. Buttons become a hint of what to type: the same words typed back
/// are understood by the conversation machine ("yes", "2").
public struct TerminalTransport: ChatTransport {
    let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    public func deliver(_ message: OutgoingMessage, to user: UserID) async throws {
        write(Self.render(message))
    }

    public static func render(_ message: OutgoingMessage) -> String {
        guard !message.buttons.isEmpty else { return message.text }
        let hint = message.buttons.map { row in row.map { "[\($0.title)]" }.joined(separator: " ") }
            .joined(separator: "\n")
        return "\(message.text)\n\(hint)"
    }
}
