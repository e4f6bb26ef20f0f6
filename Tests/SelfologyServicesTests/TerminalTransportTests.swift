import SelfologyApp
import SelfologyCore
import Synchronization
import Testing

@Suite("Terminal transport")
struct TerminalTransportTests {
    @Test("the terminal's own person's messages show as they are; another simulated person's carry their name")
    func othersAreNamed() async throws {
        let written = Mutex<[String]>([])
        let transport = TerminalTransport(person: TerminalChat.userID(forName: "ann")) { text in
            written.withLock { $0.append(text) }
        }
        let consent = OutgoingMessage("Agree?", buttons: [[.init(title: "Yes", action: .consent(true))]])
        try await transport.deliver(consent, to: TerminalChat.userID(forName: "ann"))
        try await transport.deliver(OutgoingMessage("Paused."), to: TerminalChat.userID(forName: "bob"))
        #expect(written.withLock { $0 } == ["Agree?\n[Yes]", "(for bob) Paused."])
    }
}
