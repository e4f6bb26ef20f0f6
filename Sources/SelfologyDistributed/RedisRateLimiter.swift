import Foundation
import Logging
import SelfologyCore
import SelfologyRedis
import SelfologyServices
import Synchronization

/// The sliding-window limit on a Redis sorted set per person (`rate_limit:user:{id}`, scores are request times),
/// checked and recorded in one Lua script so concurrent gateways cannot both take the last slot.
public struct RedisRateLimiter: RateLimiter {
    let redis: RedisClient
    let limit: RateLimit
    let keyPrefix: String
    let logger: Logger

    public init(redis: RedisClient, limit: RateLimit = .init(), keyPrefix: String = "rate_limit:user:", logger: Logger)
    {
        self.redis = redis
        self.limit = limit
        self.keyPrefix = keyPrefix
        self.logger = logger
    }

    public func allow(_ user: UserID, now: Date) async -> Bool {
        let nowMicros = Int64(now.timeIntervalSince1970 * 1_000_000)
        let windowMicros = Int64(limit.window * 1_000_000)
        do {
            let reply = try await redis.eval(
                Self.script, keys: [keyPrefix + user.rawValue],
                arguments: [String(nowMicros), String(windowMicros), String(limit.requests), Self.uniqueMember()])
            return reply.int == 1
        } catch {
            logger.warning("rate limiter unavailable; allowing", metadata: ["error": "\(error)"])
            return true
        }
    }

    /// A name for this request in the set, unique among all gateways': a random token of this process and a
    /// count. `UUID()` read /dev/urandom, opening it each time, on every message's way in.
    static func uniqueMember() -> String {
        "\(processToken)-\(requests.add(1, ordering: .relaxed).newValue)"
    }

    private static let processToken = String(UInt64.random(in: .min ... .max), radix: 36)
    private static let requests = Atomic<Int>(0)

    /// Drops requests older than the window, then admits and records this one if there is room.
    static let script = """
        local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        if redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
        redis.call('ZADD', KEYS[1], now, ARGV[4])
        redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
        return 1
        """
}
