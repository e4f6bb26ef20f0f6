import Foundation
import Logging
import SelfologyCore
import SelfologyRedis
import SelfologyServices

/// The FSM state in Redis (`fsm:state:{user_id}`, one hour TTL), shared by every gateway process, with an
/// in-memory fallback so a Redis outage degrades to per-process state instead of failing the conversation.
public struct RedisChatStateCache: ChatStateCache {
    let redis: RedisClient
    let fallback: any ChatStateCache
    let ttlSeconds: Int
    let keyPrefix: String
    let logger: Logger

    public init(
        redis: RedisClient, fallback: any ChatStateCache, ttlSeconds: Int = 3600, keyPrefix: String = "",
        logger: Logger
    ) {
        self.keyPrefix = keyPrefix
        self.redis = redis
        self.fallback = fallback
        self.ttlSeconds = ttlSeconds
        self.logger = logger
    }

    func key(_ user: UserID) -> String { "\(keyPrefix)fsm:state:\(user.rawValue)" }

    public func state(of user: UserID) async -> ChatState? {
        do {
            guard let json = try await redis.get(key(user)) else { return nil }
            return try EventCoding.decode(ChatState.self, from: json)
        } catch {
            logger.warning("FSM state from memory: Redis unavailable", metadata: ["error": "\(error)"])
            return await fallback.state(of: user)
        }
    }

    public func set(_ state: ChatState, for user: UserID) async {
        await fallback.set(state, for: user)
        do {
            try await redis.set(key(user), try EventCoding.encodeToString(state), expireSeconds: ttlSeconds)
        } catch {
            logger.warning("FSM state kept in memory only: Redis unavailable", metadata: ["error": "\(error)"])
        }
    }

    public func remove(_ user: UserID) async {
        await fallback.remove(user)
        _ = try? await redis.del([key(user)])
    }
}
