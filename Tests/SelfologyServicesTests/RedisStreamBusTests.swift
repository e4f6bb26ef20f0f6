import Foundation
import Logging
import SelfologyCore
import SelfologyRedis
import SelfologyServices
import Testing

@testable import SelfologyDistributed

@Suite("Redis Streams bus against a real server", .enabled(if: TestStore.redisURL != nil))
struct RedisStreamBusTests {
    let redis: RedisClient
    var settings = StreamSettings()

    init() throws {
        redis = try TestStore.patientRedis()
        settings.prefix = "selfology:bus-test:\(UUID().uuidString.prefix(12))"
        settings.partitions = 4
    }

    /// Leases and claims that outlast the test: a short TTL lapses by itself on a loaded machine, and the fenced
    /// read then rightly gives nothing.
    var lasting: StreamSettings {
        var lasting = settings
        lasting.leaseTTL = .seconds(60)
        lasting.claimIdle = .seconds(120)
        return lasting
    }

    func bus(_ settings: StreamSettings) async throws -> RedisEventBus {
        let bus = RedisEventBus(redis: redis, settings: settings, logger: Logger(label: "test"))
        try await bus.prepare()
        return bus
    }

    func event(user: String, sequence: Int) throws -> EventEnvelope {
        try EventEnvelope(
            id: EventID(String(format: "%@-%05d", user, sequence)), occurredAt: Date(), traceID: "t",
            userID: UserID(user),
            payload: MessageReceived(text: "\(sequence)", language: .en))
    }

    /// Reads and acks everything a group has, as a healthy consumer does; returns what it delivered.
    func drain(_ consumer: any EventConsumer, limit: Int = .max) async throws -> [Delivery] {
        var all: [Delivery] = []
        while all.count < limit {
            let batch = try await consumer.read(max: min(50, limit - all.count), wait: .milliseconds(50))
            guard !batch.isEmpty else { break }
            try await consumer.ack(batch)
            all += batch
        }
        return all
    }

    /// A profile update, which three groups consume.
    func profileUpdate(user: String, sequence: Int) throws -> EventEnvelope {
        try EventEnvelope(
            id: EventID(String(format: "%@-%05d", user, sequence)), occurredAt: Date(), traceID: "t",
            userID: UserID(user),
            payload: ProfileUpdated(
                version: sequence + 1, changes: [], profile: PersonalityProfile(), trigger: EventID("cause")))
    }

    @Test("each group's streams hold only the events it consumes")
    func groupsReadOnlyTheirEvents() async throws {
        let bus = try await bus(settings)
        try await bus.publish([try event(user: "p", sequence: 0), try profileUpdate(user: "p", sequence: 1)])
        let partition = settings.partition(of: "p")
        var lengths: [ConsumerGroup: Int] = [:]
        for group in ConsumerGroup.allCases {
            lengths[group] = try await redis.xlen(settings.stream(group.rawValue, partition))
        }
        #expect(lengths[.coachInteraction] == 2, "a message and a profile update")
        #expect(lengths[.traitEvolution] == 1 && lengths[.profileVectors] == 1, "the profile update only")
        #expect(ConsumerGroup.allCases.filter { lengths[$0] == 0 }.count == ConsumerGroup.allCases.count - 3)
        let vectors = try await bus.consumer(
            group: .profileVectors, name: "vectors", types: EventCatalog.subscriptions(of: .profileVectors))
        #expect(try await drain(vectors).map(\.envelope.type) == [.profileUpdated])
        await vectors.stop()
    }

    @Test("trimming never drops an entry a lagging group has not acknowledged")
    func laggingGroupLosesNothing() async throws {
        let bus = try await bus(settings)
        // Profile updates go to three groups' streams.
        let events = try (0..<300).map { try profileUpdate(user: "u\($0 % 7)", sequence: $0) }
        try await bus.publish(events)
        // The other two groups keep up; the coach has read only 40.
        for group in [ConsumerGroup.traitEvolution, .profileVectors] {
            _ = try await drain(
                try await bus.consumer(group: group, name: group.rawValue, types: EventCatalog.subscriptions(of: group))
            )
        }
        let coach = try await bus.consumer(
            group: .coachInteraction, name: "coach", types: EventCatalog.subscriptions(of: .coachInteraction))
        let early = try await drain(coach, limit: 40)
        #expect(early.count == 40)

        let trimmer = StreamTrimmer(redis: redis, settings: settings, logger: Logger(label: "test"))
        let removed = try await trimmer.trimAll()
        #expect(removed >= 500, "the entries the two groups acknowledged are trimmed from their streams")
        let rest = try await drain(coach)
        #expect(early.count + rest.count == 300, "the lagging group still receives every event")
        #expect(Set((early + rest).map(\.envelope.id)).count == 300)
        await coach.stop()
    }

    /// The order in which events were acknowledged, across consumers.
    actor AckLog {
        var ids: [EventEnvelope] = []
        var byConsumer: [String: Int] = [:]
        func add(_ batch: [Delivery], by consumer: String) {
            ids += batch.map(\.envelope)
            byConsumer[consumer, default: 0] += batch.count
        }
    }

    @Test("two consumers of one group share the partitions, and each person's events are applied in order")
    func partitionsKeepPerPersonOrder() async throws {
        var quick = settings
        // Short enough that the second consumer joins within a refresh, long enough that on a loaded run leases
        // rarely lapse between renewing and reading (a fenced read then gives nothing until the next refresh).
        quick.leaseTTL = .milliseconds(1500)
        let bus = try await bus(quick)
        try await bus.publish(try (0..<200).map { try event(user: "p\($0 % 10)", sequence: $0) })
        let types = EventCatalog.subscriptions(of: .coachInteraction)
        let log = AckLog()
        func work(_ name: String) async throws {
            let consumer = try await bus.consumer(group: .coachInteraction, name: name, types: types)
            let deadline = ContinuousClock.now + .seconds(15)
            while await log.ids.count < 200, ContinuousClock.now < deadline {
                let batch = try await consumer.read(max: 5, wait: .milliseconds(50))
                // Logged as applied before the ack, as the runner commits before it acks; applying takes a while,
                // so the second consumer joins (within a lease refresh) while work is left.
                await log.add(batch, by: name)
                if !batch.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
                try await consumer.ack(batch)
            }
            await consumer.stop()
        }
        async let first: Void = work("a")
        async let second: Void = work("b")
        _ = try await (first, second)
        let applied = await log.ids
        #expect(applied.count == 200 && Set(applied.map(\.id)).count == 200)
        #expect(await log.byConsumer.values.filter { $0 > 0 }.count == 2, "both consumers did work")
        for user in Set(applied.map(\.userID)) {
            let ids = applied.filter { $0.userID == user }.map(\.id.rawValue)
            #expect(ids == ids.sorted(), "\(user)'s events applied in order")
        }
    }

    @Test("a consumer that read its partitions to the end waits from there; one cut short by its count reads on")
    func readsOnFromWhereItLeft() async throws {
        let slow = lasting
        let bus = try await bus(slow)
        let types = EventCatalog.subscriptions(of: .coachInteraction)
        let consumer = try await bus.consumer(group: .coachInteraction, name: "only", types: types)
        let other = try #require(
            (0..<50).map { "other\($0)" }.first { slow.partition(of: $0) != slow.partition(of: "a") })
        func read(max: Int = 2 * slow.partitions) async throws -> [String] {
            // Long enough that a read waiting from the wrong place would come back empty instead of failing fast.
            let batch = try await consumer.read(max: max, wait: .seconds(3))
            try await consumer.ack(batch)
            return batch.map(\.envelope.id.rawValue)
        }
        let first = try event(user: "a", sequence: 0)
        try await bus.publish([first])
        #expect(try await read() == [first.id.rawValue])

        // Both partitions have something new since the short read: the wait from where it left wakes for them.
        let next = [try event(user: "a", sequence: 1), try event(user: other, sequence: 2)]
        try await bus.publish(next)
        #expect(Set(try await read()) == Set(next.map(\.id.rawValue)))

        // A wake for one partition reads that partition alone, with the whole batch to give it.
        let three = try (3..<6).map { try event(user: "a", sequence: $0) }
        try await bus.publish(three)
        #expect(try await read() == three.map(\.id.rawValue))

        // Cut short by its count: the rest comes in the read after.
        let more = try (6..<9).map { try event(user: "a", sequence: $0) }
        try await bus.publish(more)
        #expect(try await read(max: 2) == more.prefix(2).map(\.id.rawValue))
        #expect(try await read(max: 2) == [more[2].id.rawValue])
        await consumer.stop()
    }

    /// One person's six events; an "old" consumer reads the first two, then its lease of that partition lapses
    /// (deleted here, as if it ran out while the old consumer worked or stalled) and a "new" consumer joins.
    /// Leases and claims otherwise outlast the test (`lasting`).
    func lapsedLease(of user: String) async throws
        -> (sent: [EventEnvelope], old: any EventConsumer, inHand: [Delivery], new: any EventConsumer)
    {
        let slow = lasting
        let bus = try await bus(slow)
        let sent = try (0..<6).map { try event(user: user, sequence: $0) }
        try await bus.publish(sent)
        let types = EventCatalog.subscriptions(of: .coachInteraction)
        let old = try await bus.consumer(group: .coachInteraction, name: "old", types: types)
        // Two entries per partition per read: the person's first two events are in the old owner's hands.
        let inHand = try await old.read(max: 2 * slow.partitions, wait: .milliseconds(200))
        #expect(inHand.map(\.envelope.id) == sent.prefix(2).map(\.id))
        let group = ConsumerGroup.coachInteraction.rawValue
        #expect(try await redis.del([slow.lease(group, slow.partition(of: user))]) == 1)
        let new = try await bus.consumer(group: .coachInteraction, name: "new", types: types)
        return (sent, old, inHand, new)
    }

    @Test("a partition whose lease lapsed mid-work gives its new owner nothing newer until the old owner acks")
    func lapsedLeaseKeepsOrder() async throws {
        let (sent, old, inHand, new) = try await lapsedLease(of: "lapse")
        var early: [Delivery] = []
        for _ in 0..<3 { early += try await new.read(max: 10, wait: .milliseconds(100)) }
        #expect(early.isEmpty, "nothing newer while the old owner still holds earlier events")

        try await old.ack(inHand)
        var rest: [Delivery] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while rest.count < 4, ContinuousClock.now < deadline {
            let batch = try await new.read(max: 10, wait: .milliseconds(100))
            try await new.ack(batch)
            rest += batch
        }
        #expect(rest.map(\.envelope.id) == sent.suffix(4).map(\.id))
        await new.stop()
        await old.stop()
    }

    @Test("a consumer that stalls past its lease between renewing it and reading reads nothing the new owner has")
    func stalledConsumerIsFenced() async throws {
        // The old consumer applied what it read; then it stalls, its lease passes on, and it still counts the
        // partition as its own (no refresh within the test), as after sleeping past the TTL just after renewing.
        let (sent, old, inHand, new) = try await lapsedLease(of: "fence")
        try await old.ack(inHand)
        // The ack goes out within `ackLinger`; until it is in, the new owner rightly reads nothing newer.
        var taken: [Delivery] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while taken.isEmpty, ContinuousClock.now < deadline {
            taken = try await new.read(max: 2, wait: .milliseconds(100))
        }
        #expect(taken.map(\.envelope.id) == sent[2..<4].map(\.id))

        // Unfenced, this read returned the person's next events beside the ones the new owner is applying.
        for _ in 0..<2 {
            #expect(try await old.read(max: 10, wait: .milliseconds(50)).isEmpty, "nothing from a lost partition")
        }
        try await new.ack(taken)
        #expect(try await drain(new).map(\.envelope.id) == sent.suffix(2).map(\.id))
        await new.stop()
        await old.stop()
    }

    @Test("fenced reads and take-overs answer only while the lease is the reader's")
    func fencedReadsFollowTheLease() async throws {
        let bus = try await bus(settings)
        try await bus.publish(try (0..<4).map { try event(user: "lease", sequence: $0) })
        let (group, partition) = (ConsumerGroup.coachInteraction.rawValue, settings.partition(of: "lease"))
        let other = (partition + 1) % settings.partitions
        let reads = FencedStreamReads(redis: redis, group: group, consumer: "holder", settings: settings)
        try await redis.set(settings.lease(group, partition), "holder")
        try await redis.set(settings.lease(group, other), "holder")

        let found = try await reads.readNew([partition, other], count: 3)
        #expect(found.entries.count == 3 && found.lost.isEmpty)
        #expect(found.drained.map(\.stream) == [settings.stream(group, other)])
        #expect(found.drained.first?.id == "0-0", "an empty partition waits from the start")
        let next = try await reads.readNew([partition], count: 10)
        #expect(next.entries.count == 1)
        #expect(next.drained.isEmpty)
        let newest = try #require(next.entries.first?.id)
        #expect(try await reads.readNew([partition], count: 10).drained.map(\.id) == [newest])
        // Pending entries are claimed by their partition's leaseholder only.
        var quick = settings
        quick.claimIdle = .milliseconds(1)
        let claimer = FencedStreamReads(redis: redis, group: group, consumer: "holder", settings: quick)
        try await Task.sleep(for: .milliseconds(5))
        #expect(try await claimer.claimIdle(partition, count: 10)?.count == 4)

        try await redis.set(settings.lease(group, partition), "someone else")
        #expect(try await claimer.claimIdle(partition, count: 10) == nil)
        #expect(try await reads.readNew([partition, other], count: 3).lost == [partition])
    }

    @Test("consumers that start together share the partitions long before a third of their lease")
    func startingConsumersSpreadOut() async throws {
        var long = settings
        // A third of this lease is 20 s, past the test's 10 s deadline (generous for a loaded machine).
        long.leaseTTL = .seconds(60)
        let bus = try await bus(long)
        let types = EventCatalog.subscriptions(of: .coachInteraction)
        var consumers: [any EventConsumer] = []
        for name in ["a", "b", "c", "d"] {
            consumers.append(try await bus.consumer(group: .coachInteraction, name: name, types: types))
        }
        let group = ConsumerGroup.coachInteraction.rawValue
        func owners() async throws -> [String?] {
            var owners: [String?] = []
            for partition in 0..<settings.partitions {
                owners.append(try await redis.get(settings.lease(group, partition)))
            }
            return owners
        }
        // The first to look sees itself alone and takes every partition; unless it refreshes quickly while
        // joining, a third of the lease passes before it gives any away.
        let deadline = ContinuousClock.now + .seconds(10)
        var current: [String?] = []
        repeat {
            for consumer in consumers { _ = try await consumer.read(max: 10, wait: .milliseconds(20)) }
            current = try await owners()
        } while Set(current.compactMap { $0 }).count < consumers.count && ContinuousClock.now < deadline
        #expect(current.allSatisfy { $0 != nil } && Set(current).count == 4, "one partition each: \(current)")
        for consumer in consumers { await consumer.stop() }
    }

    @Test("a crashed consumer's partitions and unacknowledged entries pass to another after its lease lapses")
    func takeoverAfterCrash() async throws {
        var quick = settings
        quick.leaseTTL = .milliseconds(600)
        quick.claimIdle = .milliseconds(600)
        let bus = try await bus(quick)
        try await bus.publish(try (0..<20).map { try event(user: "c\($0 % 3)", sequence: $0) })
        let types = EventCatalog.subscriptions(of: .coachInteraction)
        let crashed = try await bus.consumer(group: .coachInteraction, name: "crashed", types: types)
        var taken: [EventID: Delivery] = [:]
        // On a loaded machine reading can outlast `claimIdle`, and the consumer then reclaims its own entries: count
        // each entry once. A lease that lapsed before a read gives nothing until the next refresh takes it again.
        let deadline = ContinuousClock.now + .seconds(10)
        while taken.count < 20, ContinuousClock.now < deadline {
            for delivery in try await crashed.read(max: 20, wait: .milliseconds(50)) {
                taken[delivery.envelope.id] = delivery
            }
        }
        #expect(taken.count == 20)
        // It dies without acking or giving its leases back.
        let survivor = try await bus.consumer(group: .coachInteraction, name: "survivor", types: types)
        var recovered: [Delivery] = []
        for _ in 0..<40 where recovered.count < 20 {
            let batch = try await survivor.read(max: 20, wait: .milliseconds(100))
            try await survivor.ack(batch)
            recovered += batch
        }
        #expect(Set(recovered.map(\.envelope.id)) == Set(taken.keys))
        #expect(recovered.allSatisfy { $0.attempt >= 2 }, "taken-over entries count their redelivery")
        await survivor.stop()
    }
}
