import Foundation
import SelfologyCore
import SelfologyServices

/// Shows the gateway's messages in a terminal. Buttons become a hint of what to type: the same words typed back
/// are understood by the conversation machine ("yes", "2"). A file (the copy of a person's data) is saved in
/// `files`, readable by this user only, and its path shown.
/// One terminal chats as one person, but the services run for everyone in the store: a message for another
/// simulated person (a session of theirs timing out) is shown with their name, not as if it were this person's.
public struct TerminalTransport: ChatTransport {
    let person: UserID
    let files: URL
    let write: @Sendable (String) -> Void

    public init(person: UserID, files: URL, write: @escaping @Sendable (String) -> Void) {
        self.person = person
        self.files = files
        self.write = write
    }

    public func deliver(_ message: OutgoingMessage, to user: UserID) async throws {
        var text = Self.render(message)
        if let document = message.document {
            text += "\n" + (try save(document, for: user)).path
        }
        write(user == person ? text : "(for \(TerminalChat.name(of: user))) \(text)")
    }

    public static func render(_ message: OutgoingMessage) -> String {
        guard !message.buttons.isEmpty else { return message.text }
        let hint = message.buttons.map { row in row.map { "[\($0.title)]" }.joined(separator: " ") }
            .joined(separator: "\n")
        return "\(message.text)\n\(hint)"
    }

    /// `<files>/<name>-<file name>`: each simulated person's copies apart.
    private func save(_ document: OutgoingMessage.Document, for user: UserID) throws -> URL {
        try FileManager.default.createDirectory(
            at: files, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let url = files.appendingPathComponent("\(TerminalChat.name(of: user))-\(document.fileName)")
        guard
            FileManager.default.createFile(
                atPath: url.path, contents: Data(document.contents.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
        return url
    }
}
