import Synchronization

/// A time source that only moves when a test says so, for the circuit breaker's `now`.
final class ManualTime: Sendable {
    private let current = Mutex(ContinuousClock.now)

    var now: @Sendable () -> ContinuousClock.Instant {
        { self.current.withLock { $0 } }
    }

    func advance(by duration: Duration) {
        current.withLock { $0 += duration }
    }
}
