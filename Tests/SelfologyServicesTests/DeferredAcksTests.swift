import Foundation
import Logging
import SelfologyCore
import SelfologyRedis
import SelfologyServices
import Testing

@testable import SelfologyDistributed

/// Consumers' acks wait to go with the relay's next publish, or on their own after a moment (`DeferredAcks`).
@Suite("Deferred acks against a real server", .enabled(if: TestStore.redisURL != nil))
struct DeferredAcksTests {
    /// The bus's client, whose traffic the tests count, and another for looking at the streams.
    let redis: RedisClient
    let inspector: RedisClient
    let bus: RedisEventBus
    let settings: StreamSettings

    init() async throws {
        redis = try TestStore.patientRedis()
        inspector = try TestStore.patientRedis()
        var settings = StreamSettings()
        settings.prefix = "selfology:ack-test:\(UUID().uuidString.prefix(12))"
        settings.partitions = 2
        settings.leaseTTL = .seconds(60)
        settings.claimIdle = .seconds(120)
        // Long enough that only a publish or a stop can have sent an ack within the test.
        settings.ackLinger = .seconds(120)
        self.settings = settings
        bus = RedisEventBus(redis: redis, settings: settings, logger: Logger(label: "test"))
        try await bus.prepare()
    }

    func profileUpdate(_ sequence: Int) throws -> EventEnvelope {
        try EventEnvelope(
            id: EventID("e\(sequence)"), occurredAt: Date(), traceID: "t", userID: UserID("p\(sequence)"),
            payload: ProfileUpdated(
                version: 1, changes: [], profile: PersonalityProfile(), trigger: EventID("cause")))
    }

    /// Entries read and not acknowledged, in all of a group's partitions.
    func pending(_ group: ConsumerGroup) async throws -> Int {
        let streams = (0..<settings.partitions).map { settings.stream(group.rawValue, $0) }
        return try await inspector.xinfoGroups(streams).flatMap { $0 }.filter { $0.name == group.rawValue }
            .map(\.pending).reduce(0, +)
    }

    func consumer(_ group: ConsumerGroup) async throws -> any EventConsumer {
        try await bus.consumer(group: group, name: group.rawValue, types: EventCatalog.subscriptions(of: group))
    }

    /// Reads what the group has and acks it; returns how many.
    func readAndAck(_ consumer: any EventConsumer) async throws -> Int {
        let batch = try await consumer.read(max: 50, wait: .milliseconds(100))
        try await consumer.ack(batch)
        return batch.count
    }

    @Test("acks of several groups go with the next publish, in its one round trip")
    func acksRideWithThePublish() async throws {
        try await bus.publish([try profileUpdate(0), try profileUpdate(1)])
        let (traits, vectors) = (try await consumer(.traitEvolution), try await consumer(.profileVectors))
        #expect(try await readAndAck(traits) == 2)
        #expect(try await readAndAck(vectors) == 2)
        #expect(try await pending(.traitEvolution) == 2)
        #expect(try await pending(.profileVectors) == 2)

        let before = redis.traffic
        try await bus.publish([try profileUpdate(2)])
        #expect((redis.traffic - before).roundTrips == 1)
        #expect(try await pending(.traitEvolution) == 0)
        #expect(try await pending(.profileVectors) == 0)
        // The new entry is unread, not pending: nothing of it was acked.
        #expect(try await readAndAck(traits) == 1)
        await traits.stop()
        await vectors.stop()
    }

    @Test("a consumer that stops sends the acks waiting before it gives up its leases")
    func stopSendsWaitingAcks() async throws {
        try await bus.publish([try profileUpdate(0)])
        let traits = try await consumer(.traitEvolution)
        #expect(try await readAndAck(traits) == 1)
        #expect(try await pending(.traitEvolution) == 1)
        await traits.stop()
        #expect(try await pending(.traitEvolution) == 0)
    }

    @Test("with no publish coming, acks go on their own after the linger, all groups' in one round trip")
    func acksGoAfterTheLinger() async throws {
        var settings = self.settings
        settings.ackLinger = .milliseconds(50)
        let bus = RedisEventBus(redis: redis, settings: settings, logger: Logger(label: "test"))
        try await bus.publish([try profileUpdate(0)])
        var read: [(any EventConsumer, [Delivery])] = []
        for group in [ConsumerGroup.traitEvolution, .profileVectors, .coachInteraction] {
            let consumer = try await bus.consumer(
                group: group, name: group.rawValue, types: EventCatalog.subscriptions(of: group))
            read.append((consumer, try await consumer.read(max: 50, wait: .milliseconds(100))))
        }
        #expect(read.map(\.1.count) == [1, 1, 1])
        let before = redis.traffic
        for (consumer, batch) in read { try await consumer.ack(batch) }
        try await eventually {
            var left = 0
            for group in [ConsumerGroup.traitEvolution, .profileVectors, .coachInteraction] {
                left += try await pending(group)
            }
            return left == 0
        }
        #expect(redis.traffic - before == RedisTraffic(commands: 3, roundTrips: 1))
        for (consumer, _) in read { await consumer.stop() }
    }
}
