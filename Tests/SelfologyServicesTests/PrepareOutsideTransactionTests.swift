import Foundation
import Logging
import SelfologyCore
import SelfologyEmbedded
import SelfologyServices
import Synchronization
import Testing

/// Handlers that call models prepare outside the transaction: the result reaches `handle`, an event already
/// applied is not prepared again (a redelivery costs no model call), and one person's events are prepared in order.
@Suite("Preparing outside the transaction")
struct PrepareOutsideTransactionTests {
    final class CountingHandler: EventHandler {
        let group = ConsumerGroup.coachInteraction
        let preparesOutsideTransaction = true
        let prepared = Mutex<[String]>([])
        let handled = Mutex<[String]>([])
        let failOnce = Mutex<Set<String>>([])

        func prepare(_ event: EventEnvelope, store: any Database) async throws -> (any Sendable)? {
            let text = try event.decode(MessageReceived.self).text
            // Uneven work, so an unordered preparation would show up as reordering.
            try await Task.sleep(for: .milliseconds(text.hasSuffix("1") ? 20 : 1))
            prepared.withLock { $0.append(text) }
            if failOnce.withLock({ $0.remove(text) != nil }) { throw CancellationError() }
            return "prepared \(text)"
        }

        func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
            handled.withLock { $0.append(context.prepared as? String ?? "nothing") }
        }
    }

    func deliveries(_ texts: [(user: String, text: String)], attempt: Int = 1) throws -> [Delivery] {
        try texts.map { item in
            Delivery(
                envelope: try EventFactory.forTests.make(
                    MessageReceived(text: item.text, language: .en), for: UserID(rawValue: item.user)),
                tag: item.text, attempt: attempt)
        }
    }

    func runner(_ handler: CountingHandler, _ database: any Database) -> ConsumerRunner {
        ConsumerRunner(
            handler: handler, bus: InProcessEventBus(), database: database, factory: EventFactory.forTests,
            outboxSignal: WakeSignal(), consumerName: "test", logger: Logger(label: "test"))
    }

    @Test("prepared values reach handle; a redelivered batch is neither prepared nor applied again")
    func redeliveryIsNotPreparedAgain() async throws {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        let handler = CountingHandler()
        let consumer = AckCountingConsumer()
        let batch = try deliveries([("a", "a0"), ("b", "b0")])
        await runner(handler, database).process(batch, consumer: consumer)
        // The buses count deliveries: what comes again after a crash or a takeover is a second attempt.
        let redelivered = batch.map { Delivery(envelope: $0.envelope, tag: $0.tag, attempt: 2) }
        await runner(handler, database).process(redelivered, consumer: consumer)
        #expect(handler.prepared.withLock { $0.sorted() } == ["a0", "b0"])
        #expect(handler.handled.withLock { $0.sorted() } == ["prepared a0", "prepared b0"])
        #expect(consumer.acked.withLock { $0 } == 4)
        try await database.close()
    }

    @Test("one person's events are prepared in order, and only a failed preparation runs again")
    func orderPerPersonAndRetryOfFailures() async throws {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        let handler = CountingHandler()
        handler.failOnce.withLock { $0 = ["b2"] }
        let batch = try deliveries([("a", "a1"), ("a", "a2"), ("b", "b1"), ("b", "b2"), ("a", "a3")])
        await runner(handler, database).process(batch, consumer: AckCountingConsumer())
        let prepared = handler.prepared.withLock { $0 }
        #expect(prepared.filter { $0.hasPrefix("a") } == ["a1", "a2", "a3"])
        #expect(prepared.filter { $0 == "b2" }.count == 2, "the failed one is prepared again, nothing else")
        #expect(prepared.count == 6)
        #expect(Set(handler.handled.withLock { $0 }).count == 5, "every event applied, b2 with its second preparation")
        try await database.close()
    }
}
