import Foundation
import SelfologyApp
import SelfologyCore
import Synchronization
import Testing

@Suite("Terminal transport")
struct TerminalTransportTests {
    let files = FileManager.default.temporaryDirectory.appendingPathComponent("selfology-copies-\(UUID().uuidString)")

    @Test("the terminal's own person's messages show as they are; another simulated person's carry their name")
    func othersAreNamed() async throws {
        let written = Mutex<[String]>([])
        let transport = TerminalTransport(person: TerminalChat.userID(forName: "ann"), files: files) { text in
            written.withLock { $0.append(text) }
        }
        let consent = OutgoingMessage("Agree?", buttons: [[.init(title: "Yes", action: .consent(true))]])
        try await transport.deliver(consent, to: TerminalChat.userID(forName: "ann"))
        try await transport.deliver(OutgoingMessage("Paused."), to: TerminalChat.userID(forName: "bob"))
        #expect(written.withLock { $0 } == ["Agree?\n[Yes]", "(for bob) Paused."])
    }

    @Test("a file is saved for the person's eyes only, under their name, and its path shown")
    func savesFiles() async throws {
        let written = Mutex<[String]>([])
        let transport = TerminalTransport(person: TerminalChat.userID(forName: "ann"), files: files) { text in
            written.withLock { $0.append(text) }
        }
        let copy = OutgoingMessage("Here it is.", document: .init(fileName: "copy.json", contents: #"{"a":"б"}"#))
        try await transport.deliver(copy, to: TerminalChat.userID(forName: "ann"))
        let path = files.appendingPathComponent("ann-copy.json").path
        #expect(written.withLock { $0 } == ["Here it is.\n\(path)"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == #"{"a":"б"}"#)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        try FileManager.default.removeItem(at: files)
    }
}
