import SelfologyCore
import SelfologyServices
import Synchronization

/// A transport that hands each simulated person their messages with the moment they were delivered.
final class BenchTransport: ChatTransport {
    struct Delivered: Sendable {
        let at: ContinuousClock.Instant
        let message: OutgoingMessage
    }

    private struct Inbox {
        var queued: [Delivered] = []
        var waiter: CheckedContinuation<Delivered?, Never>?
    }

    private let inboxes = Mutex<[UserID: Inbox]>([:])

    func deliver(_ message: OutgoingMessage, to user: UserID) async throws {
        let item = Delivered(at: .now, message: message)
        let waiter = inboxes.withLock { inboxes -> CheckedContinuation<Delivered?, Never>? in
            if let waiter = inboxes[user]?.waiter {
                inboxes[user]?.waiter = nil
                return waiter
            }
            inboxes[user, default: Inbox()].queued.append(item)
            return nil
        }
        waiter?.resume(returning: item)
    }

    /// The person's next message, or nil after `timeout`.
    func next(for user: UserID, timeout: Duration) async -> Delivered? {
        await withCheckedContinuation { continuation in
            let ready = inboxes.withLock { inboxes -> Delivered? in
                if var inbox = inboxes[user], !inbox.queued.isEmpty {
                    let first = inbox.queued.removeFirst()
                    inboxes[user] = inbox
                    return first
                }
                inboxes[user, default: Inbox()].waiter = continuation
                return nil
            }
            if let ready { return continuation.resume(returning: ready) }
            Task {
                try? await Task.sleep(for: timeout)
                let waiter = self.inboxes.withLock { inboxes -> CheckedContinuation<Delivered?, Never>? in
                    defer { inboxes[user]?.waiter = nil }
                    return inboxes[user]?.waiter
                }
                waiter?.resume(returning: nil)
            }
        }
    }
}
