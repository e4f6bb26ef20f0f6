import SelfologyCore
import SelfologyServices
import Synchronization

/// A chat transport that remembers every message, per person, in delivery order.
final class RecordingTransport: ChatTransport {
    private let messages = Mutex<[(user: UserID, message: OutgoingMessage)]>([])

    func deliver(_ message: OutgoingMessage, to user: UserID) async throws {
        messages.withLock { $0.append((user, message)) }
    }

    func all(for user: UserID) -> [OutgoingMessage] {
        messages.withLock { $0.filter { $0.user == user }.map(\.message) }
    }

    var count: Int { messages.withLock { $0.count } }
}
