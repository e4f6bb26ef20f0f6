import SelfologyCore
import SelfologyServices

/// Shows the gateway's messages in a terminal. Buttons become a hint of what to type: the same words typed back
/// are understood by the conversation machine ("yes", "2").
/// One terminal chats as one person, but the services run for everyone in the store: a message for another
/// simulated person (a session of theirs timing out) is shown with their name, not as if it were this person's.
public struct TerminalTransport: ChatTransport {
    let person: UserID
    let write: @Sendable (String) -> Void

    public init(person: UserID, write: @escaping @Sendable (String) -> Void) {
        self.person = person
        self.write = write
    }

    public func deliver(_ message: OutgoingMessage, to user: UserID) async throws {
        let text = Self.render(message)
        write(user == person ? text : "(for \(TerminalChat.name(of: user))) \(text)")
    }

    public static func render(_ message: OutgoingMessage) -> String {
        guard !message.buttons.isEmpty else { return message.text }
        let hint = message.buttons.map { row in row.map { "[\($0.title)]" }.joined(separator: " ") }
            .joined(separator: "\n")
        return "\(message.text)\n\(hint)"
    }
}
