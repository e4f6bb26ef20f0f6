import Foundation
import Logging
import SQLKit
import SelfologyCore
import SelfologyEmbedded
import Testing

@testable import SelfologyServices

/// A consumer writes the events a whole batch emitted to the outbox together; the order must stay the order of
/// emission, and a batch that fails and is retried one event at a time must not keep a failed event's emissions.
@Suite("A batch's events in the outbox")
struct BatchOutboxTests {
    /// Emits two events per message, and fails on a message saying "fail".
    struct EchoingHandler: EventHandler {
        let group = ConsumerGroup.coachInteraction

        func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
            let text = try event.decode(MessageReceived.self).text
            for part in ["a", "b"] {
                try context.emit(MessageReceived(text: "\(text)\(part)", language: .en), for: event.userID)
            }
            if text == "fail" { throw CancellationError() }
        }
    }

    func outboxTexts(_ database: any Database) async throws -> [String] {
        try await database.read { db in
            try await OutboxStore.due(limit: 10_000, now: .distantFuture, in: db).map {
                try $0.envelope.decode(MessageReceived.self).text
            }
        }
    }

    func process(_ texts: [String], in database: any Database) async throws -> Int {
        let deliveries = try texts.enumerated().map { index, text in
            Delivery(
                envelope: try EventFactory.forTests.make(
                    MessageReceived(text: text, language: .en), for: UserID(rawValue: "person-\(index % 2)")),
                tag: "\(index)", attempt: 1)
        }
        let consumer = AckCountingConsumer()
        var settings = ConsumerSettings()
        settings.retryDelay = .milliseconds(5)
        let runner = ConsumerRunner(
            handler: EchoingHandler(), bus: InProcessEventBus(), database: database, factory: EventFactory.forTests,
            outboxSignal: WakeSignal(), consumerName: "test", settings: settings, logger: Logger(label: "test"))
        await runner.process(deliveries, consumer: consumer)
        return consumer.acked.withLock { $0 }
    }

    @Test("every event the batch emitted is in the outbox, in the order it was emitted")
    func emissionOrder() async throws {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        #expect(try await process(["m1", "m2", "m3"], in: database) == 3)
        #expect(try await outboxTexts(database) == ["m1a", "m1b", "m2a", "m2b", "m3a", "m3b"])
        try await database.close()
    }

    @Test("more events than one statement takes still all go in, in order")
    func longerThanOneInsert() async throws {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        let texts = (0..<(OutboxStore.rowsPerInsert * 2 + 7)).map { "m\($0)" }
        let envelopes = try texts.map {
            try EventFactory.forTests.make(MessageReceived(text: $0, language: .en), for: UserID(rawValue: "p"))
        }
        try await database.transaction { db in try await OutboxStore.append(envelopes, now: Date(), in: db) }
        #expect(try await outboxTexts(database) == texts)
        try await database.close()
    }

    @Test("when one event fails, the others' events are kept and the failed one's are not")
    func failedEventEmitsNothing() async throws {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        #expect(try await process(["m1", "fail", "m3"], in: database) == 3, "the failed one is set aside, acked")
        #expect(try await outboxTexts(database) == ["m1a", "m1b", "m3a", "m3b"])
        try await database.close()
    }
}
