import Foundation
import SQLKit
import SelfologyApp
import SelfologyCore
import SelfologyPostgres
import SelfologyServices
import Testing

/// A relay in its own process learns of other processes' outbox rows through LISTEN/NOTIFY, not its poll.
@Suite("Outbox relay wake across processes", .enabled(if: TestStore.postgresURL != nil))
struct OutboxWakeTests {
    /// Two runtimes on one schema stand for two processes: `writer` only writes (its gateway), `relay` only
    /// relays, polling once a minute, so within the test only a notification can wake it.
    func pendingAfterWrite(listening: Bool) async throws -> (soon: Int, final: Int) {
        let schema = "wake_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        var configuration = RuntimeConfiguration(dataPath: nil)
        configuration.databaseURL = TestStore.postgresURL
        configuration.postgresSchema = schema
        configuration.relay.pollInterval = .seconds(60)
        let relaying = try await SelfologyRuntime.prepare(
            configuration: configuration, content: TestRuntime.content, transport: RecordingTransport())
        let writer = try await SelfologyRuntime.prepare(
            configuration: configuration, content: TestRuntime.content, transport: RecordingTransport())
        func pending() async throws -> Int {
            try await writer.database.read { db in try await OutboxStore.count(status: .pending, in: db) }
        }
        // Consent makes the gateway write session.start.requested to the outbox, in the writer's process.
        func consent(_ person: UserID) async throws {
            try await writer.gateway.receive(.command(.start), from: person)
            try await writer.gateway.receive(.text("yes"), from: person)
        }
        // A first row, published by the relay's first batch at start: after it the relay waits for its poll.
        try await consent(UserID("wake-first"))
        let relayServices = relaying.services(of: .outboxRelay).filter { listening || !($0 is OutboxListener) }
        let group = relaying.makeServiceGroup(relayServices)
        let running = Task { try await group.run() }
        while try await pending() > 0 { try await Task.sleep(for: .milliseconds(20)) }

        try await consent(UserID("wake-second"))
        let soon = try await pending()
        var final = soon
        let deadline = ContinuousClock.now + .seconds(15)
        while final > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            final = try await pending()
            // Without the listener, one second is enough to show the rows wait for the minute-long poll.
            if !listening, ContinuousClock.now > deadline - .seconds(14) { break }
        }
        await group.triggerGracefulShutdown()
        try await running.value
        try await writer.database.transaction { db in try await db.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
        try await writer.close()
        try await relaying.close()
        return (soon, final)
    }

    @Test("rows written by another process are published at once, long before the relay's next poll")
    func notifiedRelayPublishes() async throws {
        let counts = try await pendingAfterWrite(listening: true)
        #expect(counts.final == 0)
    }

    @Test("without the listener the same rows wait for the poll (the control that shows the wake is real)")
    func unnotifiedRelayWaits() async throws {
        let counts = try await pendingAfterWrite(listening: false)
        #expect(counts.soon > 0)
        #expect(counts.final == counts.soon)
    }
}
