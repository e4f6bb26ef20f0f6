import SelfologyServices

/// A lock for async code that serves interactive waiters before background ones, first come first served within
/// each. With one SQLite writer, a person's feedback would otherwise queue behind every deep-analysis and profile
/// batch that asked first. So that background work is never starved by a steady stream of interactive work, a
/// waiting background transaction is let in after `interactiveRun` interactive ones have overtaken it.
actor AsyncLock {
    private var locked = false
    private var interactive: [CheckedContinuation<Void, Never>] = []
    private var background: [CheckedContinuation<Void, Never>] = []
    private var interactiveGrantsInARow = 0
    private let interactiveRun: Int

    init(interactiveRun: Int = 4) {
        self.interactiveRun = interactiveRun
    }

    /// Transactions waiting for the lock (tests use it to queue waiters in a known order).
    var waiting: Int { interactive.count + background.count }

    func withLock<T: Sendable>(_ urgency: TransactionUrgency, _ body: @Sendable () async throws -> T) async throws -> T
    {
        await acquire(urgency)
        defer { release() }
        return try await body()
    }

    private func acquire(_ urgency: TransactionUrgency) async {
        guard locked else {
            locked = true
            return
        }
        await withCheckedContinuation { continuation in
            switch urgency {
            case .interactive: interactive.append(continuation)
            case .background: background.append(continuation)
            }
        }
    }

    private func release() {
        // Only grants made while background work waited count towards its turn.
        if background.isEmpty { interactiveGrantsInARow = 0 }
        let backgroundsTurn = !background.isEmpty && (interactive.isEmpty || interactiveGrantsInARow >= interactiveRun)
        if backgroundsTurn {
            interactiveGrantsInARow = 0
            background.removeFirst().resume()
        } else if !interactive.isEmpty {
            interactiveGrantsInARow += 1
            interactive.removeFirst().resume()
        } else {
            locked = false
        }
    }
}
