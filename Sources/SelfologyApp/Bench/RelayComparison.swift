import Foundation
import Logging
import SelfologyCore
import SelfologyServices

/// The outbox relay against the original design's relay on the same store and bus: this relay takes up to 100
/// rows per transaction and publishes them in one pipeline; the original took one row per transaction and made
/// one XADD per event. Both are the same `OutboxRelay` here, so the only difference measured is the batching.
public enum RelayComparison {
    public struct Figures: Sendable {
        public let batchedEventsPerSecond: Double
        public let oneByOneEventsPerSecond: Double
    }

    static func measure(database: any Database, bus: any EventBus, events: Int) async throws -> Figures {
        let batched = try await eventsPerSecond(database: database, bus: bus, batchSize: 100, events: events)
        let oneByOne = try await eventsPerSecond(database: database, bus: bus, batchSize: 1, events: events / 5)
        return Figures(batchedEventsPerSecond: batched, oneByOneEventsPerSecond: oneByOne)
    }

    /// Fills the outbox with `events` pending rows, then times a relay of `batchSize` until they are published.
    static func eventsPerSecond(database: any Database, bus: any EventBus, batchSize: Int, events: Int)
        async throws -> Double
    {
        let clock = SystemWallClock()
        let factory = EventFactory(ids: TimeOrderedIDGenerator(clock: clock), clock: clock)
        for chunk in stride(from: 0, to: events, by: 500) {
            let envelopes = try (chunk..<min(events, chunk + 500)).map { index in
                try factory.make(ProfileRequested(language: .en), for: UserID("relay-bench:\(index % 200)"))
            }
            try await database.transaction { db in
                try await OutboxStore.append(envelopes, now: clock.now(), in: db)
            }
        }
        var settings = RelaySettings()
        settings.batchSize = batchSize
        let relay = OutboxRelay(
            database: database, bus: bus, clock: clock, signal: WakeSignal(), settings: settings,
            logger: Logger(label: "selfology.bench"))
        let start = ContinuousClock.now
        var published = 0
        while published < events {
            let batch = try await relay.relayBatch()
            guard batch > 0 else { break }
            published += batch
        }
        return Double(published) / (ContinuousClock.now - start).seconds
    }
}
