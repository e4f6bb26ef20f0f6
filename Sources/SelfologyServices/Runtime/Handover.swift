import Synchronization

/// What this process's transactions hand, after their commits, to one service of the same process that would
/// otherwise find it in a table (the relay its events, the dispatcher its messages), and whether that service
/// should look at the table all the same. Items are refused while the service does not run: it looks at the
/// table when it starts.
final class Handover<Item: Sendable>: Sendable {
    private struct State {
        var running = false
        var items: [Item] = []
        var lookWanted = false
    }

    private let state = Mutex(State())
    /// Raised by a hand-over or a request to look alike.
    let signal = WakeSignal()

    var running: Bool { state.withLock { $0.running } }

    /// Hands items over; false, and nothing kept, while the service does not run.
    @discardableResult
    func hand(_ items: [Item]) -> Bool {
        guard !items.isEmpty else { return false }
        let taken = state.withLock { state -> Bool in
            guard state.running else { return false }
            state.items += items
            return true
        }
        if taken { signal.notify() }
        return taken
    }

    /// Asks the service to look at the table.
    func requestLook() {
        state.withLock { $0.lookWanted = true }
        signal.notify()
    }

    /// The items handed over since the last take, in order, and whether a look was asked for.
    func take() -> (items: [Item], look: Bool) {
        state.withLock { state in
            defer { (state.items, state.lookWanted) = ([], false) }
            return (state.items, state.lookWanted)
        }
    }

    /// The service runs; its first round looks at the table.
    func start() {
        state.withLock { ($0.running, $0.lookWanted) = (true, true) }
    }

    /// The service stops; returns what was handed over and not taken.
    func stop() -> [Item] {
        state.withLock { state in
            defer { (state.running, state.items) = (false, []) }
            return state.items
        }
    }
}
