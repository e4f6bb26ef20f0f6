/// Exponential backoff with jitter for retryable failures: attempt n waits a random time between half and all of
/// `base × 2^(n-1)`, capped at `maximumDelay`; a provider's `retry-after` is honoured when it is within the cap
/// (a longer one means: try the next model instead of waiting).
public struct RetryPolicy: Sendable, Equatable {
    public var attempts = 3
    public var baseDelay: Duration = .seconds(1)
    public var maximumDelay: Duration = .seconds(10)

    public init() {}

    public init(attempts: Int, baseDelay: Duration, maximumDelay: Duration) {
        self.attempts = attempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// The wait before attempt `attempt + 1`, or nil when the provider asks for longer than the cap.
    /// `unit` is a random number in 0..<1 (injected, so tests are exact).
    public func delay(after attempt: Int, retryAfter: Duration?, unit: Double) -> Duration? {
        if let retryAfter {
            return retryAfter <= maximumDelay ? retryAfter : nil
        }
        let exponential = baseDelay * (1 << min(max(attempt - 1, 0), 20))
        let capped = min(exponential, maximumDelay)
        return capped * (0.5 + 0.5 * min(max(unit, 0), 1))
    }
}
