import Logging
import SelfologyCore
import SelfologyDistributed
import SelfologyEmbedded
import SelfologyRedis
import SelfologyServices
import ServiceLifecycle

/// The bus a runtime uses, with what it needs around it.
struct BusAdapter: Sendable {
    let bus: any EventBus
    let observer: any BusObserver
    let inProcess: InProcessEventBus?
    /// On the in-process bus, the envelopes this process committed, kept for its relay to publish as they are.
    let kept: CommittedEvents?
    /// Where this process's transactions put the envelopes they committed.
    let committed: any CommittedEnvelopes
    let cache: any ChatStateCache
    let rateLimiter: any RateLimiter
    let services: [any Service]
    let close: @Sendable () async throws -> Void
}

extension SelfologyRuntime {
    /// Redis Streams when `REDIS_URL` is set (groups created, trimmer running); otherwise the in-process bus, with
    /// the events published but not applied before the last stop put back on it.
    static func openBus(
        _ configuration: RuntimeConfiguration, database: any Database, clock: any WallClock, logger: Logger
    ) async throws -> BusAdapter {
        let memory = InMemoryChatStateCache(clock: clock)
        guard var redisConfiguration = try configuration.redisConfiguration() else {
            let bus = InProcessEventBus()
            let replayed = try await EmbeddedRecovery.replayUnapplied(database: database, bus: bus)
            if replayed > 0 { logger.info("replayed unapplied events", metadata: ["count": "\(replayed)"]) }
            let kept = CommittedEvents()
            return BusAdapter(
                bus: bus, observer: bus, inProcess: bus, kept: kept, committed: kept, cache: memory,
                rateLimiter: InMemoryRateLimiter(), services: [], close: {})
        }
        // Every consumer holds a connection while its XREADGROUP blocks: without one each (and room for the relay's
        // XADDs, acks, leases and the rate limit) the relay waited up to a whole block for a free connection.
        redisConfiguration.maximumConnections = max(
            redisConfiguration.maximumConnections,
            ConsumerGroup.allCases.map(configuration.consumers(of:)).reduce(0, +) + 8)
        let redis = RedisClient(configuration: redisConfiguration, logger: logger)
        let bus = RedisEventBus(redis: redis, settings: configuration.streams, logger: logger)
        try await bus.prepare()
        let trimmer = StreamTrimmer(redis: redis, settings: configuration.streams, logger: logger)
        return BusAdapter(
            bus: bus, observer: bus, inProcess: nil, kept: nil, committed: bus.envelopes,
            cache: RedisChatStateCache(
                redis: redis, fallback: memory, keyPrefix: configuration.streams.keyPrefix, logger: logger),
            rateLimiter: RedisRateLimiter(
                redis: redis, keyPrefix: configuration.streams.keyPrefix + "rate_limit:user:", logger: logger),
            services: [trimmer], close: { await redis.close() })
    }
}
