import Synchronization

/// Stops calling a model (or Qdrant) while it is failing: after `failureThreshold` consecutive failures calls are
/// refused for `openInterval`; then up to `halfOpenTrials` trial calls go out (half-open). All of them succeeding
/// closes the breaker; any failing opens it again. Failing fast keeps a dead provider from eating every caller's
/// time budget, which for the instant phase is only 500 ms. Shared by the model router, the Qdrant index and the
/// Telegram client (which lets one trial through at a time).
public final class CircuitBreaker: Sendable {
    public enum State: String, Sendable, Hashable {
        case closed, open
        case halfOpen = "half_open"
    }

    public struct Settings: Sendable, Equatable {
        public var failureThreshold = 5
        public var openInterval: Duration = .seconds(60)
        public var halfOpenTrials = 3

        public init() {}

        public init(failureThreshold: Int, openInterval: Duration, halfOpenTrials: Int) {
            self.failureThreshold = failureThreshold
            self.openInterval = openInterval
            self.halfOpenTrials = halfOpenTrials
        }
    }

    private enum Phase {
        case closed(consecutiveFailures: Int)
        case open(until: ContinuousClock.Instant)
        /// `started` trials are out, `succeeded` of them came back well. A trial whose task was cancelled never
        /// reports, so after another `openInterval` new trials are allowed.
        case halfOpen(started: Int, succeeded: Int, since: ContinuousClock.Instant)
    }

    public let settings: Settings
    private let now: @Sendable () -> ContinuousClock.Instant
    private let phase = Mutex(Phase.closed(consecutiveFailures: 0))

    /// `now` is injectable so tests move time without sleeping.
    public init(settings: Settings = .init(), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        precondition(settings.failureThreshold > 0 && settings.halfOpenTrials > 0, "breaker settings must be positive")
        self.settings = settings
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

    /// Whether a call may go out now; when the open interval has passed, this call is one of the trials.
    public func permitsCall() -> Bool {
        let now = now()
        let settings = settings
        return phase.withLock { phase in
            switch phase {
            case .closed:
                return true
            case .open(let until):
                guard now >= until else { return false }
                phase = .halfOpen(started: 1, succeeded: 0, since: now)
                return true
            case .halfOpen(let started, let succeeded, let since):
                if started < settings.halfOpenTrials {
                    phase = .halfOpen(started: started + 1, succeeded: succeeded, since: since)
                    return true
                }
                guard now >= since + settings.openInterval else { return false }
                phase = .halfOpen(started: 1, succeeded: 0, since: now)
                return true
            }
        }
    }

    public func recordSuccess() {
        let trials = settings.halfOpenTrials
        phase.withLock { phase in
            switch phase {
            case .closed, .open:
                phase = .closed(consecutiveFailures: 0)
            case .halfOpen(let started, let succeeded, let since):
                phase =
                    succeeded + 1 >= trials
                    ? .closed(consecutiveFailures: 0)
                    : .halfOpen(started: started, succeeded: succeeded + 1, since: since)
            }
        }
    }

    public func recordFailure() {
        let now = now()
        let settings = settings
        phase.withLock { phase in
            switch phase {
            case .closed(let failures) where failures + 1 < settings.failureThreshold:
                phase = .closed(consecutiveFailures: failures + 1)
            case .closed, .halfOpen:
                phase = .open(until: now + settings.openInterval)
            case .open:
                break
            }
        }
    }
}
