import Foundation
import SelfologyCore
import Testing

@testable import SelfologyServices

/// The envelopes a process committed reach its own consumers with their payloads decoded: on the in-process bus
/// the relay publishes them instead of rebuilding them from the outbox rows, and on Redis the consumers find them
/// among the shared envelopes. What is not found is still rebuilt or decoded, so nothing depends on the handoff.
@Suite("Committed events handed to the relay")
struct CommittedEventsTests {
    let person = UserID("handoff")

    @Test(
        "consumers in the committing process receive its envelopes with their payloads decoded",
        arguments: TestStore.available, TestBus.available)
    func consumersGetDecodedEnvelopes(store: TestStore, bus: TestBus) async throws {
        let test = try await TestRuntime(store: store, redisStreams: bus == .redis, startServices: false)
        let runtime = test.runtime
        let group = ConsumerGroup.sessionManagement
        let consumer = try await runtime.bus.consumer(
            group: group, name: "test", types: EventCatalog.subscriptions(of: group))
        try await runtime.gateway.receive(.command(.start), from: person)
        try await runtime.gateway.receive(.text("yes"), from: person)

        // What the relay reads back from the store is a rebuilt envelope, its payload still JSON text.
        let rows = try await runtime.database.read { db in
            try await OutboxStore.due(limit: 100, now: Date(), in: db)
        }
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { !$0.envelope.hasDecodedPayload })

        #expect(try await runtime.relay.relayBatch() == rows.count)
        var delivered: [Delivery] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while delivered.isEmpty, ContinuousClock.now < deadline {
            delivered = try await consumer.read(max: 100, wait: .milliseconds(200))
        }
        let subscribed = EventCatalog.subscriptions(of: group)
        #expect(
            delivered.map(\.envelope.id) == rows.filter { subscribed.contains($0.envelope.type) }.map(\.envelope.id))
        #expect(!delivered.isEmpty)
        #expect(delivered.allSatisfy { $0.envelope.hasDecodedPayload })
        try await consumer.ack(delivered)
        await consumer.stop()
        try await test.stop()
    }

    @Test("kept envelopes are bounded: past the capacity the oldest are dropped and rebuilt envelopes pass through")
    func boundedByCapacity() throws {
        let committed = CommittedEvents(capacity: 4)
        let made = try (0..<10).map { index in
            try EventEnvelope(
                id: EventID("e\(index)"), occurredAt: Date(timeIntervalSince1970: 0), traceID: "t", userID: person,
                payload: SessionPauseRequested(sessionID: nil))
        }
        committed.remember(made)
        #expect(committed.count <= 4)
        let rebuilt = made.map { envelope in
            EventEnvelope(
                id: envelope.id, type: envelope.type, version: envelope.version, occurredAt: envelope.occurredAt,
                traceID: envelope.traceID, userID: envelope.userID, payload: envelope.payload)
        }
        let taken = rebuilt.map { committed.take($0.id) ?? $0 }
        #expect(taken == made)
        #expect(
            taken.map { $0.hasDecodedPayload } == Array(repeating: false, count: 6) + Array(repeating: true, count: 4))
        // Taken once: a second read of the same rows (a publish that failed and is retried) rebuilds them.
        #expect(rebuilt.allSatisfy { committed.take($0.id) == nil })
        #expect(committed.count == 0)
    }
}
