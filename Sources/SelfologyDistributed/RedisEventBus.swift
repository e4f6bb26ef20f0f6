import Foundation
import Logging
import SelfologyCore
import SelfologyRedis
import SelfologyServices

/// The distributed runtime's bus on Redis Streams: partitioned streams for each consumer group, holding only the
/// events that group consumes (all created up front, so a group that has not started yet still holds back
/// trimming), partitions leased to live consumers, takeover of a crashed consumer's pending entries, a dead-letter
/// stream.
///
/// Why a group's own streams rather than one log all groups read: with one log, every event woke every group's
/// consumers, which read it, found most types not theirs and acknowledged them unseen; about five reads in six
/// were of that kind, and the consumer an event was for waited behind them (3-5 ms from publish to read at a
/// light load). Publishing costs one XADD per consuming group instead of one per event, in the same pipeline.
public final class RedisEventBus: EventBus {
    let redis: RedisClient
    let settings: StreamSettings
    let logger: Logger
    /// What this process's consumers read, shared among its consumer groups, and given the envelopes the process
    /// commits.
    public let envelopes = SharedEnvelopes(asDelivered: StreamEnvelope.asDelivered)
    /// This process's consumers' acks, sent with the next publish or on their own shortly after.
    let acks: DeferredAcks

    /// Everything this process's client has sent: the bus's commands and those of whatever shares the client (the
    /// runtime's rate limits and chat states).
    public var traffic: RedisTraffic { redis.traffic }

    public init(redis: RedisClient, settings: StreamSettings = .init(), logger: Logger) {
        self.redis = redis
        self.settings = settings
        self.logger = logger
        acks = DeferredAcks(redis: redis, linger: settings.ackLinger, logger: logger)
    }

    /// Creates every group's stream partitions and the group on each in one pipeline (idempotent: a group that
    /// exists answers BUSYGROUP, which is fine).
    public func prepare() async throws {
        let commands = settings.groupPartitions.map { group, partition in
            ["XGROUP", "CREATE", settings.stream(group.rawValue, partition), group.rawValue, "0", "MKSTREAM"]
        }
        for reply in try await redis.pipeline(commands) {
            if case .error(let message) = reply, !message.hasPrefix("BUSYGROUP") { throw RedisError.server(message) }
        }
    }

    /// One XADD per event and consuming group in a single pipeline, in the events' order, with the acks waiting
    /// (`DeferredAcks`); a failure of any XADD fails the publish, and the relay retries the batch (consumers are
    /// idempotent, so entries added twice are harmless). An event no group consumes is kept in the outbox only.
    public func publish(_ events: [EventEnvelope]) async throws {
        guard !events.isEmpty else { return }
        let commands = events.flatMap { envelope in
            let partition = settings.partition(of: envelope.userID.rawValue)
            let fields = StreamEnvelope.fields(of: envelope).flatMap { [$0.0, $0.1] }
            return EventCatalog.consumers(of: envelope.type).map { group in
                ["XADD", settings.stream(group.rawValue, partition), "*"] + fields
            }
        }
        guard !commands.isEmpty else { return }
        // The acks waiting go in the same pipeline, after the entries: a refused ack fails nothing here.
        let acked = acks.take()
        let replies: [RESPValue]
        do {
            replies = try await redis.pipeline(commands + acked)
        } catch {
            acks.putBack(acked)
            throw error
        }
        acks.sent(acked, replies: replies.dropFirst(commands.count))
        if let failure = replies.prefix(commands.count).first(where: { if case .error = $0 { true } else { false } }),
            case .error(let message) = failure
        {
            throw RedisError.server(message)
        }
    }

    /// A round here is four statements on PostgreSQL and a pipeline to Redis. At 1,000 people answering every
    /// ~10 s, 5 ms took feedback from p50 98 to 80 ms (p95 170 to 138), and at a light load from 26 to 19 ms;
    /// 10 ms was worse at both.
    public var relayRoundInterval: Duration { .milliseconds(5) }

    /// The dead-letter stream's entries about forgotten people (`DeadLetterStream.deleteErased`).
    public func deleteSetAside(of erasures: [UserID: String]) async throws -> Int {
        try await DeadLetterStream(redis: redis, settings: settings).deleteErased(erasures)
    }

    public func consumer(group: ConsumerGroup, name: String, types: Set<EventType>) async throws -> any EventConsumer {
        RedisStreamConsumer(
            redis: redis, group: group, envelopes: envelopes, acks: acks,
            name: "\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))",
            types: types, settings: settings, logger: logger)
    }
}
