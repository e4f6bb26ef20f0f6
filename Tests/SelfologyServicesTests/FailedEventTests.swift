import Foundation
import Logging
import SQLKit
import SelfologyCore
import SelfologyEmbedded
import Synchronization
import Testing

@testable import SelfologyServices

/// An event whose handler fails is retried where it stands, so none of its person's later events overtakes it,
/// and set aside as a dead letter once its attempts are used.
@Suite("Failed events")
struct FailedEventTests {
    /// Fails each listed event a given number of times, then applies it; records what committed, in order.
    final class FlakyHandler: EventHandler {
        let group = ConsumerGroup.traitEvolution
        let failuresLeft: Mutex<[EventID: Int]>
        let committed = Mutex<[EventEnvelope]>([])

        struct Refused: Error {}

        init(failing: [EventID: Int]) { failuresLeft = Mutex(failing) }

        func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
            let refuse = failuresLeft.withLock { left -> Bool in
                guard let count = left[event.id], count > 0 else { return false }
                left[event.id] = count - 1
                return true
            }
            if refuse { throw Refused() }
            context.onCommit { self.committed.withLock { $0.append(event) } }
        }
    }

    func delivery(_ user: String, _ text: String) throws -> Delivery {
        let envelope = try EventFactory.forTests.make(
            MessageReceived(text: text, language: .en), for: UserID(rawValue: user))
        return Delivery(envelope: envelope, tag: UUID().uuidString, attempt: 1)
    }

    func run(_ handler: FlakyHandler, _ batch: [Delivery]) async throws -> (acked: Int, database: SQLiteDatabase) {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        var settings = ConsumerSettings()
        settings.retryDelay = .milliseconds(5)
        let runner = ConsumerRunner(
            handler: handler, bus: InProcessEventBus(), database: database, factory: EventFactory.forTests,
            outboxSignal: WakeSignal(), consumerName: "test", settings: settings, logger: Logger(label: "test"))
        let consumer = AckCountingConsumer()
        await runner.process(batch, consumer: consumer)
        return (consumer.acked.withLock { $0 }, database)
    }

    @Test("an event that fails for a while is applied before its person's later events")
    func retriedInPlace() async throws {
        let batch = [try delivery("p", "first"), try delivery("q", "other"), try delivery("p", "second")]
        let handler = FlakyHandler(failing: [batch[0].envelope.id: 2])
        let (acked, _) = try await run(handler, batch)
        #expect(acked == 3)
        let applied = handler.committed.withLock { $0 }
        #expect(applied.filter { $0.userID.rawValue == "p" }.map(\.id) == [batch[0].envelope.id, batch[2].envelope.id])
        #expect(Set(applied.map(\.id)) == Set(batch.map(\.envelope.id)))
    }

    @Test("an event that keeps failing is set aside after its attempts, and its person's next event goes on")
    func deadLetteredAfterItsAttempts() async throws {
        let batch = [try delivery("p", "poison"), try delivery("p", "next")]
        let handler = FlakyHandler(failing: [batch[0].envelope.id: .max])
        let (acked, database) = try await run(handler, batch)
        #expect(acked == 2, "the dead letter is acknowledged too")
        #expect(handler.committed.withLock { $0 }.map(\.id) == [batch[1].envelope.id])
        let rows = try await database.read { db in
            try await db.select().columns("event_id", "attempts").from("dead_letters").all()
        }
        #expect(rows.count == 1)
        #expect(try rows.first?.decode(column: "event_id", as: String.self) == batch[0].envelope.id.rawValue)
        #expect(try rows.first?.decode(column: "attempts", as: Int.self) == ConsumerSettings().maxAttempts)
        // The batch's own try, then each attempt one by one.
        let tries = 1 + ConsumerSettings().maxAttempts
        #expect(handler.failuresLeft.withLock { $0[batch[0].envelope.id] } == .max - tries)
    }
}
