import Foundation
import Logging
import PostgresNIO
import SQLKit
import SelfologyCore
import SelfologyPostgres
import Synchronization
import Testing

@testable import SelfologyServices

/// On PostgreSQL the events a process commits go straight to its running relay (`RelayHandoff`): their rows are
/// leased so that no scan takes them, the relay publishes them from memory and marks them, and if it cannot, the
/// lease ends and the scan takes over. Nothing may be lost or left pending on either way.
@Suite("Outbox relay: events handed over in the process", .enabled(if: TestStore.postgresURL != nil))
struct RelayHandoffTests {
    typealias RecordingBus = RelayPublishFailureTests.FlakyBus

    /// Sends three events through a transaction that leases them to `handoff`.
    static func commitThree(on database: any Database, clock: any WallClock, handoff: RelayHandoff) async throws
        -> [EventID]
    {
        let factory = EventFactory(ids: TimeOrderedIDGenerator(clock: clock), clock: clock)
        let transaction = OutboxTransaction(
            database: database, factory: factory, outboxSignal: WakeSignal(), committed: handoff)
        return try await transaction.run { context in
            for index in 0..<3 {
                try context.emit(MessageReceived(text: "\(index)", language: .en), for: UserID("handoff"))
            }
            return context.emitted.map(\.id)
        }
    }

    static func rows(of database: any Database) async throws -> [(status: String, leased: Bool, attempts: Int)] {
        try await database.read { db in
            try await db.select().columns("status", "next_attempt_at", "attempts").from("event_outbox").orderBy("id")
                .all()
                .map { row in
                    (
                        try row.decode(column: "status", as: String.self),
                        try row.decode(column: "next_attempt_at", as: Date?.self) != nil,
                        try row.decode(column: "attempts", as: Int.self)
                    )
                }
        }
    }

    /// A relay with a one-minute poll: within a test only the handoff can make it publish.
    static func startRelay(
        database: any Database, bus: RecordingBus, clock: any WallClock, handoff: RelayHandoff
    ) async throws -> (relay: OutboxRelay, running: Task<Void, any Error>) {
        var settings = RelaySettings()
        settings.pollInterval = .seconds(60)
        let relay = OutboxRelay(
            database: database, bus: bus, clock: clock, signal: WakeSignal(), handoff: handoff, settings: settings,
            logger: Logger(label: "test"))
        let running = Task { try await relay.run() }
        try await eventually { handoff.outboxLease(now: Date()) != nil }
        return (relay, running)
    }

    @Test("rows are leased while the relay runs, published from memory in order without a scan, and marked")
    func handedEventsArePublishedAndMarked() async throws {
        let test = try await TestRuntime(store: .postgres, startServices: false)
        let database = test.runtime.database
        let handoff = RelayHandoff(lease: 15)
        #expect(handoff.outboxLease(now: Date()) == nil, "no lease while no relay runs")
        let bus = RecordingBus(failures: 0)
        let (_, running) = try await Self.startRelay(
            database: database, bus: bus, clock: SystemWallClock(), handoff: handoff)

        let ids = try await Self.commitThree(on: database, clock: SystemWallClock(), handoff: handoff)
        try await eventually { try await Self.rows(of: database).allSatisfy { $0.status == "published" } }
        #expect(bus.published.withLock { $0 } == ids)
        let rows = try await Self.rows(of: database)
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.leased && $0.attempts == 0 }, "written leased, published on the first try")

        running.cancel()
        try await running.value
        #expect(handoff.outboxLease(now: Date()) == nil, "no lease once the relay stopped")
        try await test.stop()
    }

    @Test("leased rows are not due for a scan before their lease ends", arguments: TestStore.available)
    func leasedRowsWaitForTheirLease(store: TestStore) async throws {
        let clock = ManualClock()
        let test = try await TestRuntime(store: store, startServices: false, clock: clock)
        let database = test.runtime.database
        let events = try (0..<2).map { index in
            try EventFactory.forTests.make(MessageReceived(text: "\(index)", language: .en), for: UserID("lease"))
        }
        try await database.transaction { db in
            try await OutboxStore.append(events, now: clock.now(), leasedUntil: clock.now() + 15, in: db)
        }
        let relay = OutboxRelay(
            database: database, bus: RecordingBus(failures: 0), clock: clock, signal: WakeSignal(),
            logger: Logger(label: "test"))
        #expect(try await relay.relayBatch() == 0)
        clock.advance(by: 16)
        #expect(try await relay.relayBatch() == 2)
        try await test.stop()
    }

    @Test("a failed publish ends the lease with the first backoff, and a scan publishes the events afterwards")
    func failedHandoffFallsBackToTheScan() async throws {
        let clock = ManualClock()
        let test = try await TestRuntime(store: .postgres, startServices: false, clock: clock)
        let database = test.runtime.database
        let handoff = RelayHandoff(lease: 15)
        let bus = RecordingBus(failures: 1)
        let (relay, running) = try await Self.startRelay(
            database: database, bus: bus, clock: clock, handoff: handoff)

        let ids = try await Self.commitThree(on: database, clock: clock, handoff: handoff)
        try await eventually { try await Self.rows(of: database).allSatisfy { $0.attempts == 1 } }
        #expect(try await Self.rows(of: database).allSatisfy { $0.status == "pending" })
        #expect(try await relay.relayBatch() == 0, "not due before the first backoff (1 s) is over")
        clock.advance(by: 1.5)
        #expect(try await relay.relayBatch() == 3)
        #expect(bus.published.withLock { $0 } == ids)

        running.cancel()
        try await running.value
        try await test.stop()
    }

    @Test("only rows left for any relay notify the relays; leased rows wake nobody")
    func leasedRowsDoNotNotify() async throws {
        let test = try await TestRuntime(store: .postgres, startServices: false)
        guard let postgres = test.runtime.database as? SelfologyPostgres.PostgresDatabase else {
            throw TestFailure("not PostgreSQL")
        }
        let channel = postgres.schema + OutboxStore.outboxChannelSuffix
        let received = Mutex(0)
        let listens = Mutex(false)
        let listening = Task {
            try await postgres.client.withConnection { connection in
                // PostgresNIO calls the closure once the LISTEN has been executed.
                try await connection.listen(on: channel) { notifications in
                    listens.withLock { $0 = true }
                    for try await _ in notifications { received.withLock { $0 += 1 } }
                }
            }
        }
        func append(leased: Bool) async throws {
            let event = try EventFactory.forTests.make(MessageReceived(text: "x", language: .en), for: UserID("n"))
            try await postgres.transaction { db in
                try await OutboxStore.append([event], now: Date(), leasedUntil: leased ? Date() + 15 : nil, in: db)
            }
        }
        try await eventually { listens.withLock { $0 } }
        try await append(leased: false)
        try await eventually { received.withLock { $0 } == 1 }

        try await append(leased: true)
        try await append(leased: false)
        // Notifications arrive in commit order: a leased row's would have come before this one.
        try await eventually { received.withLock { $0 } >= 2 }
        try await Task.sleep(for: .milliseconds(300))
        #expect(received.withLock { $0 } == 2)

        listening.cancel()
        _ = try? await listening.value
        try await test.stop()
    }
}
