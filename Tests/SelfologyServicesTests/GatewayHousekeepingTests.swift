import Foundation
import Logging
import SQLKit
import SelfologyCore
import Testing

@testable import SelfologyServices

@Suite("Gateway housekeeping")
struct GatewayHousekeepingTests {
    @Test(
        "delivered messages and handled inputs go after the retention; undelivered and recent ones stay",
        arguments: TestStore.available)
    func deletesWhatIsPastRetention(store: TestStore) async throws {
        let test = try await TestRuntime(store: store, startServices: false)
        let database = test.runtime.database
        let now = Date()
        let lastWeek = now.addingTimeInterval(-8 * 24 * 3600)
        let person = UserID("p")
        let (owed, today, claimed) = try await database.transaction { db in
            let old = try await GatewayStore.enqueue(
                ["delivered 1", "delivered 2", "still owed"].map { OutgoingMessage($0) }, for: person, now: lastWeek,
                in: db)
            try await GatewayStore.markSent(old.prefix(2).map(\.id), now: lastWeek, in: db)
            let today = try await GatewayStore.enqueue(
                [OutgoingMessage("delivered today")], for: person, now: now, in: db)
            try await GatewayStore.markSent(today.map(\.id), now: now, in: db)
            let claimed = (
                try await GatewayStore.claimInput("telegram:1", now: lastWeek, in: db),
                try await GatewayStore.claimInput("telegram:2", now: now, in: db)
            )
            return (old[2].id, today[0].id, claimed)
        }
        #expect(claimed == (true, true))
        var settings = HousekeepingSettings()
        settings.batchSize = 1
        let housekeeping = GatewayHousekeeping(
            database: database, clock: SystemWallClock(), settings: settings, logger: Logger(label: "test"))
        let deleted = try await housekeeping.sweep()
        #expect(deleted.messages == 2 && deleted.inputs == 1)

        let left = try await database.read { db in
            try await db.raw("SELECT id FROM outgoing_messages ORDER BY id").all()
                .map { try $0.decode(column: "id", as: Int64.self) }
        }
        #expect(left == [owed, today])
        // An input past the retention would be handled again; a recent one is still turned away.
        let claimedAgain = try await database.transaction { db in
            (
                try await GatewayStore.claimInput("telegram:1", now: now, in: db),
                try await GatewayStore.claimInput("telegram:2", now: now, in: db)
            )
        }
        #expect(claimedAgain == (true, false))
        #expect(try await housekeeping.sweep() == (0, 0))
        try await test.stop()
    }
}
