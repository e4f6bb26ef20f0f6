import Foundation
import Logging
import SelfologyCore
import SelfologyRedis
import SelfologyServices

/// The distributed runtime's bus on Redis Streams: partitioned streams, one consumer group per service (all
/// groups are created up front, so a group that has not started yet still holds back trimming), partitions
/// leased to live consumers, takeover of a crashed consumer's pending entries, a dead-letter stream.
public final class RedisEventBus: EventBus {
    let redis: RedisClient
    let settings: StreamSettings
    let logger: Logger
    /// What this process's consumers read, shared among its consumer groups.
    let envelopes = SharedEnvelopes()

    public init(redis: RedisClient, settings: StreamSettings = .init(), logger: Logger) {
        self.redis = redis
        self.settings = settings
        self.logger = logger
    }

    /// Creates every stream partition and every consumer group of the catalog in one pipeline (idempotent: a
    /// group that exists answers BUSYGROUP, which is fine).
    public func prepare() async throws {
        let commands = (0..<settings.partitions).flatMap { partition in
            ConsumerGroup.allCases.map { group in
                ["XGROUP", "CREATE", settings.stream(partition), group.rawValue, "0", "MKSTREAM"]
            }
        }
        for reply in try await redis.pipeline(commands) {
            if case .error(let message) = reply, !message.hasPrefix("BUSYGROUP") { throw RedisError.server(message) }
        }
    }

    /// One XADD per event in a single pipeline; a failure of any fails the publish, and the relay retries the
    /// batch (consumers are idempotent, so entries added twice are harmless).
    public func publish(_ events: [EventEnvelope]) async throws {
        guard !events.isEmpty else { return }
        let commands = events.map { envelope in
            ["XADD", settings.stream(settings.partition(of: envelope.userID.rawValue)), "*"]
                + StreamEnvelope.fields(of: envelope).flatMap { [$0.0, $0.1] }
        }
        let replies = try await redis.pipeline(commands)
        if let failure = replies.first(where: { if case .error = $0 { true } else { false } }),
            case .error(let message) = failure
        {
            throw RedisError.server(message)
        }
    }

    public func consumer(group: ConsumerGroup, name: String, types: Set<EventType>) async throws -> any EventConsumer {
        RedisStreamConsumer(
            redis: redis, group: group, envelopes: envelopes,
            name: "\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))",
            types: types, settings: settings, logger: logger)
    }
}
