import Foundation
import Logging
import SelfologyCore
import SelfologyEmbedded
import ServiceLifecycle
import Synchronization
import Testing

@testable import SelfologyServices

/// Under load the relay lets commits that follow a round join the next one, at most one round per
/// `minimumRoundInterval`.
@Suite("Outbox relay rounds")
struct RelayRoundIntervalTests {
    /// Remembers each publish: when, and how many events.
    final class RecordingBus: EventBus {
        let publishes = Mutex<[(at: ContinuousClock.Instant, count: Int)]>([])
        func publish(_ events: [EventEnvelope]) async throws {
            publishes.withLock { $0.append((.now, events.count)) }
        }
        func consumer(group: ConsumerGroup, name: String, types: Set<EventType>) async throws -> any EventConsumer {
            AckCountingConsumer()
        }
    }

    func commit(_ count: Int, in database: SQLiteDatabase, signal: WakeSignal) async throws {
        let events = try (0..<count).map { _ in
            try EventFactory.forTests.make(MessageReceived(text: "x", language: .en), for: UserID("relay-round"))
        }
        try await database.transaction { db in try await OutboxStore.append(events, now: Date(), in: db) }
        signal.notify()
    }

    @Test("commits signalled within the interval after a round go out together, once the interval is over")
    func commitsJoinTheNextRound() async throws {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        let (bus, signal) = (RecordingBus(), WakeSignal())
        var settings = RelaySettings()
        settings.pollInterval = .seconds(60)
        settings.minimumRoundInterval = .milliseconds(400)
        let relay = OutboxRelay(
            database: database, bus: bus, clock: SystemWallClock(), signal: signal, settings: settings,
            logger: Logger(label: "test"))
        let group = ServiceGroup(services: [relay], logger: Logger(label: "test"))
        let running = Task { try await group.run() }

        // The relay's first round finds nothing; after the quiet spell, a commit starts a round of its own.
        try await Task.sleep(for: .milliseconds(600))
        try await commit(1, in: database, signal: signal)
        while bus.publishes.withLock({ $0.count }) < 1 { try await Task.sleep(for: .milliseconds(5)) }
        // Three commits right after that round: one round for all three, not before the interval is over.
        for _ in 0..<3 { try await commit(1, in: database, signal: signal) }
        let deadline = ContinuousClock.now + .seconds(5)
        while bus.publishes.withLock({ $0.count }) < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let publishes = bus.publishes.withLock { $0 }
        #expect(publishes.map(\.count) == [1, 3])
        if publishes.count == 2 { #expect(publishes[1].at - publishes[0].at >= .milliseconds(390)) }

        await group.triggerGracefulShutdown()
        try await running.value
        try await database.close()
    }
}
