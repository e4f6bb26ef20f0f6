import Foundation
import SelfologyCore
import SelfologyServices

/// The sliding-window limit in memory, for the embedded runtime: the request times of each person in the window.
public actor InMemoryRateLimiter: RateLimiter {
    private let limit: RateLimit
    private var requests: [UserID: [Date]] = [:]

    public init(limit: RateLimit = .init()) { self.limit = limit }

    public func allow(_ user: UserID, now: Date) -> Bool {
        var recent = (requests[user] ?? []).filter { now.timeIntervalSince($0) < limit.window }
        let allowed = recent.count < limit.requests
        if allowed { recent.append(now) }
        requests[user] = recent.isEmpty ? nil : recent
        return allowed
    }
}
