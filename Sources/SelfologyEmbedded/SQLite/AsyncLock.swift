import SelfologyServices
import Synchronization

/// A lock for async code that serves interactive waiters before background ones, first come first served within
/// each. With one SQLite writer, a person's feedback would otherwise queue behind every deep-analysis and profile
/// batch that asked first. So that background work is never starved by a steady stream of interactive work, a
/// waiting background transaction is let in after `interactiveRun` interactive ones have overtaken it.
///
/// Its state sits behind a mutex rather than in an actor: a free lock is taken and given back without the task
/// leaving its thread. As an actor it cost two executor hops per transaction, and under load each hop queued
/// the lock's holder behind every other job of the process while it held the one writer.
final class AsyncLock: Sendable {
    private struct State {
        var locked = false
        var interactive: [CheckedContinuation<Void, Never>] = []
        var background: [CheckedContinuation<Void, Never>] = []
        var interactiveGrantsInARow = 0
    }

    private let state = Mutex(State())
    private let interactiveRun: Int

    init(interactiveRun: Int = 4) {
        self.interactiveRun = interactiveRun
    }

    /// Transactions waiting for the lock (tests use it to queue waiters in a known order).
    var waiting: Int { state.withLock { $0.interactive.count + $0.background.count } }

    func withLock<T: Sendable>(_ urgency: TransactionUrgency, _ body: @Sendable () async throws -> T) async throws -> T
    {
        await acquire(urgency)
        defer { release() }
        return try await body()
    }

    private func acquire(_ urgency: TransactionUrgency) async {
        let taken = state.withLock { state in
            guard state.locked else {
                state.locked = true
                return true
            }
            return false
        }
        if taken { return }
        await withCheckedContinuation { continuation in
            // The lock may have been let go between the check above and now: take it at once if so.
            let grantedNow = state.withLock { state in
                guard state.locked else {
                    state.locked = true
                    return true
                }
                switch urgency {
                case .interactive: state.interactive.append(continuation)
                case .background: state.background.append(continuation)
                }
                return false
            }
            if grantedNow { continuation.resume() }
        }
    }

    /// Hands the lock straight to the next waiter (it stays locked), or frees it.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            // Only grants made while background work waited count towards its turn.
            if state.background.isEmpty { state.interactiveGrantsInARow = 0 }
            let backgroundsTurn =
                !state.background.isEmpty
                && (state.interactive.isEmpty || state.interactiveGrantsInARow >= interactiveRun)
            if backgroundsTurn {
                state.interactiveGrantsInARow = 0
                return state.background.removeFirst()
            } else if !state.interactive.isEmpty {
                state.interactiveGrantsInARow += 1
                return state.interactive.removeFirst()
            }
            state.locked = false
            return nil
        }
        next?.resume()
    }
}
