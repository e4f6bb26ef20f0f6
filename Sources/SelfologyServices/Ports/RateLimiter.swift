import Foundation
import SelfologyCore

/// How many requests one person may make in a sliding window (the seed's 30 per 60 seconds).
public struct RateLimit: Sendable {
    public var requests = 30
    public var window: TimeInterval = 60

    public init() {}
}

/// Decides whether a person's request may go ahead. Implementations fail open: when they cannot tell (the store
/// is down), the request is allowed, because refusing people is worse than a burst.
public protocol RateLimiter: Sendable {
    func allow(_ user: UserID, now: Date) async -> Bool
}
