import SelfologyResilience

/// Time budgets, retries, breakers and money for the router. Every figure has a reason:
/// - instant analysis must answer within 500 ms of starting, so a late model gives way to the local tier;
/// - deep analysis runs in the background, but must finish well inside the bus's redelivery threshold;
/// - a coach reply should come within half a minute, or the person gets the local coach.
public struct RouterSettings: Sendable {
    public var instantBudget: Duration = .milliseconds(500)
    public var deepBudget: Duration = .seconds(12)
    public var coachBudget: Duration = .seconds(30)
    public var embeddingBudget: Duration = .seconds(5)
    /// One call may use at most this much of a background task's budget, leaving room for a retry.
    public var deepCallTimeout: Duration = .seconds(8)
    public var coachCallTimeout: Duration = .seconds(20)
    public var retry = RetryPolicy()
    public var breaker = CircuitBreaker.Settings()
    public var tiers = TierPolicy()
    /// Daily budgets in millionths of a dollar (UTC days).
    public var userDailyBudgetMicros: Int64 = 500_000
    public var totalDailyBudgetMicros: Int64 = 50_000_000
    public var instantMaxTokens = 300
    /// A yes or no and up to four categories.
    public var crisisMaxTokens = 60
    public var deepMaxTokens = 900
    public var coachMaxTokens = 400

    public init() {}
}
