import Foundation
import Logging
import SQLKit
import SelfologyCore
import Synchronization
import Testing

@testable import SelfologyServices

/// On PostgreSQL the relay marks its rows published as it takes them, before publishing: a failed publish must
/// roll that mark back, so the events stay pending, are retried after their backoff, and none is lost.
@Suite("Outbox relay: a failed publish")
struct RelayPublishFailureTests {
    /// Fails the first `failures` publishes, then records what it is given.
    final class FlakyBus: EventBus {
        let failuresLeft: Mutex<Int>
        let published = Mutex<[EventID]>([])

        init(failures: Int) { failuresLeft = Mutex(failures) }

        func publish(_ events: [EventEnvelope]) async throws {
            let fails = failuresLeft.withLock { left -> Bool in
                defer { left -= 1 }
                return left > 0
            }
            if fails { throw TestFailure("the bus is down") }
            published.withLock { $0 += events.map(\.id) }
        }

        func consumer(group: ConsumerGroup, name: String, types: Set<EventType>) async throws -> any EventConsumer {
            AckCountingConsumer()
        }
    }

    @Test(
        "the events stay pending with one attempt counted, and go out in order once their backoff is over",
        arguments: TestStore.available)
    func failedPublishBacksOff(store: TestStore) async throws {
        let clock = ManualClock()
        let test = try await TestRuntime(store: store, startServices: false, clock: clock)
        let database = test.runtime.database
        let events = try (0..<3).map { index in
            try EventFactory.forTests.make(MessageReceived(text: "\(index)", language: .en), for: UserID("relay"))
        }
        try await database.transaction { db in try await OutboxStore.append(events, now: clock.now(), in: db) }
        let bus = FlakyBus(failures: 1)
        let relay = OutboxRelay(
            database: database, bus: bus, clock: clock, signal: WakeSignal(), logger: Logger(label: "test"))

        #expect(try await relay.relayBatch() == 0)
        #expect(try await test.count("event_outbox", where: "status", equals: "pending") == 3)
        let attempts = try await database.read { db in
            try await db.select().column("attempts").from("event_outbox").all()
                .map { try $0.decode(column: "attempts", as: Int.self) }
        }
        #expect(attempts == [1, 1, 1])
        #expect(try await relay.relayBatch() == 0, "not due again before the first backoff (1 s) is over")

        clock.advance(by: 1.5)
        #expect(try await relay.relayBatch() == 3)
        #expect(bus.published.withLock { $0 } == events.map(\.id))
        #expect(try await test.count("event_outbox", where: "status", equals: "published") == 3)
        #expect(try await relay.relayBatch() == 0, "published once")
        try await test.stop()
    }
}
