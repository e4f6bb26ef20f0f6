import Synchronization

/// A wake-up call between parts of one process, for example "there are new outbox rows". Signals coalesce: many
/// notifications before a wait wake it once. Polling remains the fallback, so a lost signal only costs latency.
public final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var nextToken = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public func notify() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.waiters.isEmpty else {
                state.pending = true
                return []
            }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when notified, after `timeout`, or when the task is cancelled, whichever comes first.
    public func wait(timeout: Duration) async {
        await wait { token in
            Task {
                try? await Task.sleep(for: timeout)
                self.resume(token)
            }
        }
    }

    /// Returns when notified, or when the task is cancelled. It starts no timer: for a loop that waits after
    /// every round, a timer per wait was a task, a timer and a late wake-up each time; `ticking(every:)` gives
    /// such a loop its fallback poll with one timer for all its waits.
    public func wait() async {
        await wait { _ in }
    }

    /// Notifies this signal every `interval` until the returned task is cancelled: the poll of a loop that
    /// waits with `wait()`.
    public func ticking(every interval: Duration) -> Task<Void, Never> {
        Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                self?.notify()
            }
        }
    }

    /// Waits for a notification; `waiting` is called with the wait's token once it has to wait.
    private func wait(waiting: (Int) -> Void) async {
        let token = state.withLock { state -> Int in
            state.nextToken += 1
            return state.nextToken
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiters[token] = continuation
                    return false
                }
                if resumeNow { return continuation.resume() }
                waiting(token)
            }
        } onCancel: {
            resume(token)
        }
    }

    private func resume(_ token: Int) {
        state.withLock { $0.waiters.removeValue(forKey: token) }?.resume()
    }
}
