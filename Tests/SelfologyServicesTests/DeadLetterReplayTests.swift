import Foundation
import Logging
import SQLKit
import SelfologyCore
import SelfologyEmbedded
import Synchronization
import Testing

@testable import SelfologyServices

/// A dead letter put back (`selfology dead-letters --replay`) is published again and applied by the group that
/// set it aside, once; the groups that had applied it do not apply it again.
@Suite("Dead letters put back")
struct DeadLetterReplayTests {
    /// Records what it applied; fails every event while `failing` is set.
    final class RecordingHandler: EventHandler {
        let group: ConsumerGroup
        let failing = Mutex(false)
        let applied = Mutex<[EventID]>([])

        struct Outage: Error {}

        init(group: ConsumerGroup) { self.group = group }

        func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
            if failing.withLock({ $0 }) { throw Outage() }
            context.onCommit { self.applied.withLock { $0.append(event.id) } }
        }
    }

    func runner(_ handler: RecordingHandler, _ database: any Database) -> ConsumerRunner {
        var settings = ConsumerSettings()
        settings.retryDelay = .milliseconds(1)
        return ConsumerRunner(
            handler: handler, bus: InProcessEventBus(), database: database, factory: EventFactory.forTests,
            outboxSignal: WakeSignal(), consumerName: "test", settings: settings, logger: Logger(label: "test"))
    }

    @Test(
        "the group that set it aside applies it once; the group that had applied it does not",
        arguments: TestStore.available)
    func replayedOnce(store: TestStore) async throws {
        let test = try await TestRuntime(store: store, startServices: false)
        let database = test.runtime.database
        let event = try EventFactory.forTests.make(
            MessageReceived(text: "hello", language: .en), for: UserID("replayed"))
        try await database.transaction { db in try await OutboxStore.append([event], now: Date(), in: db) }
        let relay = OutboxRelay(
            database: database, bus: InProcessEventBus(), clock: SystemWallClock(), signal: WakeSignal(),
            logger: Logger(label: "test"))
        #expect(try await relay.relayBatch() == 1)

        // Trait evolution fails it through all its attempts (the store was out, say); profile storage applies it.
        let failed = RecordingHandler(group: .traitEvolution)
        failed.failing.withLock { $0 = true }
        let applied = RecordingHandler(group: .profileStorage)
        let delivery = Delivery(envelope: event, tag: "1", attempt: 1)
        await runner(failed, database).process([delivery], consumer: AckCountingConsumer())
        await runner(applied, database).process([delivery], consumer: AckCountingConsumer())
        let letters = try await database.read { db in try await DeadLetters.list(in: db) }
        #expect(letters.map(\.eventID) == [event.id])
        #expect(letters.first?.group == ConsumerGroup.traitEvolution.rawValue)
        #expect(try await database.read { db in try await DeadLetters.list(group: .profileStorage, in: db) }.isEmpty)

        // Put back: pending in the outbox again, and the relay publishes it.
        failed.failing.withLock { $0 = false }
        let outcome = try await database.transaction { db in
            try await DeadLetters.requeue(try #require(letters.first), in: db)
        }
        #expect(outcome == .requeued)
        #expect(try await database.read { db in try await DeadLetters.list(in: db) }.isEmpty)
        #expect(try await relay.relayBatch() == 1)

        let again = Delivery(envelope: event, tag: "2", attempt: 1)
        await runner(failed, database).process([again], consumer: AckCountingConsumer())
        await runner(applied, database).process([again], consumer: AckCountingConsumer())
        #expect(failed.applied.withLock { $0 } == [event.id])
        #expect(applied.applied.withLock { $0 } == [event.id], "applied before, skipped now")
        try await test.stop()
    }

    @Test(
        "a letter whose outbox row is past the retention cannot be put back and stays", arguments: TestStore.available)
    func goneStays(store: TestStore) async throws {
        let test = try await TestRuntime(store: store, startServices: false)
        let database = test.runtime.database
        let event = try EventFactory.forTests.make(MessageReceived(text: "old", language: .en), for: UserID("gone"))
        let handler = RecordingHandler(group: .traitEvolution)
        handler.failing.withLock { $0 = true }
        await runner(handler, database).process(
            [Delivery(envelope: event, tag: "1", attempt: 1)], consumer: AckCountingConsumer())
        let letter = try #require(try await database.read { db in try await DeadLetters.list(in: db) }.first)
        #expect(try await database.transaction { db in try await DeadLetters.requeue(letter, in: db) } == .gone)
        #expect(try await database.read { db in try await DeadLetters.list(in: db) } == [letter])
        try await test.stop()
    }
}
