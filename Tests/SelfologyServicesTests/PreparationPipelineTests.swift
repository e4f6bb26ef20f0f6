import Foundation
import Logging
import SelfologyCore
import SelfologyEmbedded
import SelfologyServices
import ServiceLifecycle
import Synchronization
import Testing

/// A consumer whose handler calls a model prepares the next batches while one is applied, so an answer that
/// arrives during a slow model call does not wait for it. Order still holds: batches are applied and acked as
/// read, and a person's event is prepared only after their earlier event was applied.
@Suite("Preparing batches ahead")
struct PreparationPipelineTests {
    /// Records what happened, in order. Preparing "a1" holds until "b1" (another person, a later batch) has
    /// started preparing, or gives up after a few seconds: only overlapping preparation lets it go at once.
    final class SlowModelHandler: EventHandler {
        let group = ConsumerGroup.coachInteraction
        let preparesOutsideTransaction = true
        let log = Mutex<[String]>([])

        func prepare(_ event: EventEnvelope, store: any Database) async throws -> (any Sendable)? {
            let text = try event.decode(MessageReceived.self).text
            log.withLock { $0.append("prepare \(text)") }
            if text == "a1" {
                let deadline = ContinuousClock.now + .seconds(5)
                while !log.withLock({ $0.contains("prepare b1") }), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            log.withLock { $0.append("prepared \(text)") }
            return nil
        }

        func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
            let text = try event.decode(MessageReceived.self).text
            log.withLock { $0.append("apply \(text)") }
        }

        func index(_ entry: String) -> Int? { log.withLock { $0.firstIndex(of: entry) } }
    }

    /// Hands out one scripted batch per read, then nothing; records acks.
    final class ScriptedBus: EventBus, EventConsumer {
        let batches: Mutex<[[Delivery]]>
        let acked = Mutex<[String]>([])

        init(_ batches: [[Delivery]]) { self.batches = Mutex(batches) }

        func publish(_ events: [EventEnvelope]) async throws {}
        func consumer(group: ConsumerGroup, name: String, types: Set<EventType>) async throws -> any EventConsumer {
            self
        }
        func read(max: Int, wait: Duration) async throws -> [Delivery] {
            if let next = batches.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return next }
            try await Task.sleep(for: .milliseconds(10))
            return []
        }
        func ack(_ deliveries: [Delivery]) async throws { acked.withLock { $0 += deliveries.map(\.tag) } }
        func release(_ deliveries: [Delivery], delay: Duration) async throws {}
    }

    static let factory = EventFactory.forTests

    static func delivery(_ text: String, from user: String) throws -> Delivery {
        Delivery(
            envelope: try factory.make(MessageReceived(text: text, language: .en), for: UserID(rawValue: user)),
            tag: text, attempt: 1)
    }

    @Test("the next batch prepares while one waits for its model; applies, acks and each person's order hold")
    func laterBatchesPrepareAhead() async throws {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        let handler = SlowModelHandler()
        let bus = ScriptedBus([
            [try Self.delivery("a1", from: "a")], [try Self.delivery("b1", from: "b")],
            [try Self.delivery("a2", from: "a")],
        ])
        let runner = ConsumerRunner(
            handler: handler, bus: bus, database: database, factory: Self.factory, outboxSignal: WakeSignal(),
            consumerName: "test", logger: Logger(label: "test"))
        let group = ServiceGroup(services: [runner], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        let deadline = ContinuousClock.now + .seconds(20)
        while bus.acked.withLock({ $0.count }) < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        await group.triggerGracefulShutdown()
        try await running.value

        #expect(bus.acked.withLock { $0 } == ["a1", "b1", "a2"])
        let log = handler.log.withLock { $0 }
        #expect(log.filter { $0.hasPrefix("apply") } == ["apply a1", "apply b1", "apply a2"])
        // b1's model call started while a1's was still in flight.
        #expect(try #require(handler.index("prepare b1")) < (try #require(handler.index("prepared a1"))), "\(log)")
        // a's second event was prepared only after their first was applied.
        #expect(try #require(handler.index("apply a1")) < (try #require(handler.index("prepare a2"))), "\(log)")
        try await database.close()
    }
}
