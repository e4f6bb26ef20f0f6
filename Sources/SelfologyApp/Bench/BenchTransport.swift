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
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Delivered?, Never>
    }

    private struct Inbox {
        var queued: [Delivered] = []
        var waiter: Waiter?
    }

    private struct State {
        var inboxes: [UserID: Inbox] = [:]
        /// Whether the task that ends overdue waits runs.
        var sweeping = false
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

    /// The person's next message, or nil after `timeout` (give or take the sweep's quarter second).
    func next(for user: UserID, timeout: Duration) async -> Delivered? {
        await withCheckedContinuation { continuation in
            let (ready, startSweep) = state.withLock { state -> (Delivered?, Bool) in
                if var inbox = state.inboxes[user], !inbox.queued.isEmpty {
                    let first = inbox.queued.removeFirst()
                    state.inboxes[user] = inbox
                    return (first, false)
                }
                state.inboxes[user, default: Inbox()].waiter = Waiter(
                    deadline: .now + timeout, continuation: continuation)
                defer { state.sweeping = true }
                return (nil, !state.sweeping)
            }
            if let ready { return continuation.resume(returning: ready) }
            if startSweep { Task { await self.sweep() } }
        }
    }

    /// Ends overdue waits while anyone waits. One task for all the simulated people: a timer task per wait was
    /// thousands of live timers, CPU the benchmark then counted as the system's.
    private func sweep() async {
        while true {
            try? await Task.sleep(for: .milliseconds(250))
            let now = ContinuousClock.now
            let (overdue, waiting) = state.withLock { state -> ([Waiter], Bool) in
                var overdue: [Waiter] = []
                var waiting = false
                for (user, inbox) in state.inboxes {
                    guard let waiter = inbox.waiter else { continue }
                    if waiter.deadline <= now {
                        overdue.append(waiter)
                        state.inboxes[user]?.waiter = nil
                    } else {
                        waiting = true
                    }
                }
                if !waiting { state.sweeping = false }
                return (overdue, waiting)
            }
            for waiter in overdue { waiter.continuation.resume(returning: nil) }
            guard waiting else { return }
        }
    }
}
