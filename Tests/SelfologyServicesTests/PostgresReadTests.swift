import Foundation
import SQLKit
import SelfologyCore
import Testing

@testable import SelfologyServices

@Suite("Reads on PostgreSQL")
struct PostgresReadTests {
    @Test(
        "a read runs without BEGIN and COMMIT and sees what was committed; a transaction still wraps its statements",
        .enabled(if: TestStore.postgresURL != nil))
    func readsNeedNoTransaction() async throws {
        let test = try await TestRuntime(store: .postgres, startServices: false)
        let database = test.runtime.database
        try await database.transaction { db in
            try await GatewayStore.enqueue([OutgoingMessage("m")], for: UserID("p"), now: Date(), in: db)
        }
        // Two statements of one transaction share its id; statements run on their own are transactions each.
        @Sendable func oneTransaction(_ db: any SQLDatabase) async throws -> Bool {
            let first = try await db.raw("SELECT txid_current() AS id").first()?.decode(column: "id", as: Int64.self)
            let second = try await db.raw("SELECT txid_current() AS id").first()?.decode(column: "id", as: Int64.self)
            return try #require(first) == #require(second)
        }
        #expect(try await database.read { db in try await oneTransaction(db) } == false)
        #expect(try await database.transaction { db in try await oneTransaction(db) })
        #expect(try await database.read { db in try await GatewayStore.unsentCount(in: db) } == 1)
        try await test.stop()
    }
}
