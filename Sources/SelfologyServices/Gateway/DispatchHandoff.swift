import Synchronization

/// Messages this process queued, handed to its dispatcher after their transaction committed, with their ids: the
/// dispatcher delivers them without reading the queue. Reading it after every commit was about five reads per
/// answer, each listing again the messages already in hand, and the costliest statement on PostgreSQL at full
/// load (a seventh of its time).
///
/// The queue is still read when the dispatcher starts (messages left by a crash or a restart), on its poll, and
/// whenever a handed message cannot go at once without risking a person's order (see `MessageDispatcher`). Only
/// one process runs the gateway, so every message queued while its dispatcher runs is handed to it.
public final class DispatchHandoff: Sendable {
    private struct State {
        var running = false
        var handed: [GatewayStore.Queued] = []
        var readWanted = false
    }

    private let state = Mutex(State())
    /// Raised by a hand-over or a request to read.
    let signal = WakeSignal()

    public init() {}

    /// Called after the commit that queued `messages`. Dropped while no dispatcher runs here: it reads the queue
    /// when it starts.
    func hand(_ messages: [GatewayStore.Queued]) {
        guard !messages.isEmpty else { return }
        let taken = state.withLock { state -> Bool in
            guard state.running else { return false }
            state.handed += messages
            return true
        }
        if taken { signal.notify() }
    }

    /// Asks the dispatcher to read the queue.
    func requestRead() {
        state.withLock { $0.readWanted = true }
        signal.notify()
    }

    /// What was handed over since the last take, and whether a read was asked for.
    func take() -> (handed: [GatewayStore.Queued], read: Bool) {
        state.withLock { state in
            defer {
                state.handed = []
                state.readWanted = false
            }
            return (state.handed, state.readWanted)
        }
    }

    /// The dispatcher starts taking messages; its first round reads the queue.
    func start() {
        state.withLock {
            $0.running = true
            $0.readWanted = true
        }
    }

    func stop() {
        state.withLock {
            $0.running = false
            $0.handed = []
        }
    }
}
