import Synchronization

/// Stops calling Telegram while it is down: after `failureThreshold` consecutive server or transport failures
/// calls fail fast for `openInterval`, then one trial call is let through (half-open); its success closes the
/// breaker, its failure opens it again. Failing fast keeps a dead network from tying up every sender in timeouts.
public final class TelegramCircuitBreaker: Sendable {
    public enum State: Sendable, Hashable {
        case closed
        case open
        case halfOpen
    }

    private enum Phase {
        case closed(consecutiveFailures: Int)
        case open(until: ContinuousClock.Instant)
        /// One trial call is out; if it never reports back (its task was cancelled), another is allowed after
        /// `openInterval`.
        case halfOpen(trialStartedAt: ContinuousClock.Instant)
    }

    private let failureThreshold: Int
    private let openInterval: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let phase = Mutex(Phase.closed(consecutiveFailures: 0))

    /// `now` is injectable so tests can move time without sleeping.
    public init(
        failureThreshold: Int = 5, openInterval: Duration = .seconds(30),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        precondition(failureThreshold > 0, "a breaker needs at least one failure to open")
        self.failureThreshold = failureThreshold
        self.openInterval = openInterval
        self.now = now
    }

    public var state: State {
        phase.withLock { phase in
            switch phase {
            case .closed: .closed
            case .open: .open
            case .halfOpen: .halfOpen
            }
        }
    }

    /// Whether a call may go out now. When the open interval has passed, the first caller becomes the trial.
    public func permitsCall() -> Bool {
        let now = now()
        return phase.withLock { phase in
            switch phase {
            case .closed:
                return true
            case .open(let until):
                guard now >= until else { return false }
            case .halfOpen(let trialStartedAt):
                guard now >= trialStartedAt + openInterval else { return false }
            }
            phase = .halfOpen(trialStartedAt: now)
            return true
        }
    }

    public func recordSuccess() {
        phase.withLock { $0 = .closed(consecutiveFailures: 0) }
    }

    public func recordFailure() {
        let now = now()
        phase.withLock { phase in
            switch phase {
            case .closed(let failures) where failures + 1 < failureThreshold:
                phase = .closed(consecutiveFailures: failures + 1)
            case .closed, .halfOpen:
                phase = .open(until: now + openInterval)
            case .open:
                break
            }
        }
    }
}
