import SelfologyCore
import SelfologyServices
import Synchronization

/// A transport that hands each simulated person their messages with the moment they were delivered.
final class BenchTransport: ChatTransport {
    struct Delivered: Sendable {
        let at: ContinuousClock.Instant
        let message: OutgoingMessage
    }

    private struct Waiter {
        let ticket: Int
        let continuation: CheckedContinuation<Delivered?, Never>
    }

    private struct Inbox {
        var queued: [Delivered] = []
        var waiter: Waiter?
    }

    private struct State {
        var inboxes: [UserID: Inbox] = [:]
        var nextTicket = 0
    }

    private let state = Mutex(State())

    func deliver(_ message: OutgoingMessage, to user: UserID) async throws {
        let item = Delivered(at: .now, message: message)
        let waiter = state.withLock { state -> Waiter? in
            if let waiter = state.inboxes[user]?.waiter {
                state.inboxes[user]?.waiter = nil
                return waiter
            }
            state.inboxes[user, default: Inbox()].queued.append(item)
            return nil
        }
        waiter?.continuation.resume(returning: item)
    }

    /// The person's next message, or nil after `timeout`.
    func next(for user: UserID, timeout: Duration) async -> Delivered? {
        await withCheckedContinuation { continuation in
            let (ready, ticket) = state.withLock { state -> (Delivered?, Int) in
                if var inbox = state.inboxes[user], !inbox.queued.isEmpty {
                    let first = inbox.queued.removeFirst()
                    state.inboxes[user] = inbox
                    return (first, 0)
                }
                state.nextTicket += 1
                state.inboxes[user, default: Inbox()].waiter = Waiter(
                    ticket: state.nextTicket, continuation: continuation)
                return (nil, state.nextTicket)
            }
            if let ready { return continuation.resume(returning: ready) }
            Task {
                try? await Task.sleep(for: timeout)
                // Only this wait's own ticket: a later wait of the same person must not be cut short.
                let expired = self.state.withLock { state -> Waiter? in
                    guard let waiter = state.inboxes[user]?.waiter, waiter.ticket == ticket else { return nil }
                    state.inboxes[user]?.waiter = nil
                    return waiter
                }
                expired?.continuation.resume(returning: nil)
            }
        }
    }
}
