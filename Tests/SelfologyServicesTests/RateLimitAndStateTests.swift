import Foundation
import Logging
import SelfologyApp
import SelfologyCore
import SelfologyDistributed
import SelfologyEmbedded
import SelfologyRedis
import SelfologyServices
import Testing

@Suite("Rate limit and FSM state")
struct RateLimitAndStateTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func redis(timeout: Duration = .seconds(15), url: String? = TestStore.redisURL) throws -> RedisClient {
        var configuration = try RedisConfiguration(url: url ?? "redis://127.0.0.1:1")
        configuration.commandTimeout = timeout
        return RedisClient(configuration: configuration)
    }

    func admitted(_ limiter: any RateLimiter, _ user: UserID, at time: Date, count: Int) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<count { group.addTask { await limiter.allow(user, now: time) } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
    }

    @Test("in memory: 30 per 60 s per person, and the window slides")
    func inMemory() async {
        let limiter = InMemoryRateLimiter()
        #expect(await admitted(limiter, "a", at: now, count: 45) == 30)
        #expect(await limiter.allow("b", now: now), "another person is not affected")
        #expect(await !limiter.allow("a", now: now.addingTimeInterval(59)))
        #expect(await admitted(limiter, "a", at: now.addingTimeInterval(61), count: 45) == 30)
    }

    @Test("on Redis: exactly 30 of 50 concurrent requests pass, atomically", .enabled(if: TestStore.redisURL != nil))
    func onRedis() async throws {
        let redis = try Self.redis()
        let limiter = RedisRateLimiter(
            redis: redis, keyPrefix: "test:\(UUID().uuidString):", logger: Logger(label: "test"))
        #expect(await admitted(limiter, "a", at: now, count: 50) == 30)
        #expect(await limiter.allow("b", now: now))
        #expect(await admitted(limiter, "a", at: now.addingTimeInterval(30), count: 10) == 0)
        #expect(await admitted(limiter, "a", at: now.addingTimeInterval(61), count: 50) == 30)
        await redis.close()
    }

    @Test("when Redis cannot be reached, requests are allowed (fail open) and FSM state falls back to memory")
    func failOpen() async throws {
        let unreachable = try Self.redis(timeout: .milliseconds(500), url: "redis://127.0.0.1:1")
        let limiter = RedisRateLimiter(redis: unreachable, logger: Logger(label: "test"))
        #expect(await limiter.allow("a", now: now))
        let cache = RedisChatStateCache(
            redis: unreachable, fallback: InMemoryChatStateCache(clock: SystemWallClock()),
            logger: Logger(label: "test"))
        await cache.set(ChatState(phase: .gdprPending, language: .ru), for: "a")
        #expect(await cache.state(of: "a") == ChatState(phase: .gdprPending, language: .ru))
        await unreachable.close()
    }

    @Test("FSM state lives in Redis with a one-hour TTL", .enabled(if: TestStore.redisURL != nil))
    func stateInRedis() async throws {
        let redis = try Self.redis()
        let prefix = "test:\(UUID().uuidString):"
        let cache = RedisChatStateCache(
            redis: redis, fallback: InMemoryChatStateCache(clock: SystemWallClock()), keyPrefix: prefix,
            logger: Logger(label: "test"))
        await cache.set(ChatState(phase: .gdprPending, language: .en), for: "u")
        let ttl = try await redis.send(["TTL", prefix + "fsm:state:u"]).int ?? 0
        #expect((3500...3600).contains(ttl))
        let other = RedisChatStateCache(
            redis: redis, fallback: InMemoryChatStateCache(clock: SystemWallClock()), keyPrefix: prefix,
            logger: Logger(label: "test"))
        #expect(await other.state(of: "u")?.phase == .gdprPending, "another gateway process sees it")
        await cache.remove("u")
        #expect(await other.state(of: "u") == nil)
        await redis.close()
    }

    @Test("over the limit a person gets a polite reply and nothing happens, unless they are in crisis")
    func gatewayLimit() async throws {
        let test = try await TestRuntime()
        let user = UserID("talker")
        _ = try await test.say("/start", as: user)
        _ = try await test.say("yes", as: user)
        _ = try await test.say("/language ru", as: user)
        for _ in 0..<28 { try await test.runtime.gateway.receive(.command(.help), from: user) }
        try await test.settle()
        let before = try await test.count("event_outbox")
        let limited = try await test.say("/profile", as: user)
        #expect(limited.map(\.text) == [BotTexts.rateLimited[.ru]], "refused in the person's own language")
        #expect(try await test.count("event_outbox") == before, "nothing was emitted")
        let crisis = try await test.say("I want to kill myself", as: user)
        #expect(crisis.first?.text.contains("findahelpline.com") == true)
        try await test.stop()
    }
}
