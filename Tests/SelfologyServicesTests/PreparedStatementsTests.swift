import Foundation
import SQLKit
import SelfologyApp
import Testing

@testable import SelfologyPostgres

/// The store's statements are prepared once per connection on the server (`PreparedStatements`).
@Suite("Prepared statements on PostgreSQL", .enabled(if: TestStore.postgresURL != nil))
struct PreparedStatementsTests {
    /// A pool of one connection, so that every call below runs on the same server session.
    static func withDatabase(preparing: Bool = true, _ body: (PostgresDatabase) async throws -> Void)
        async throws
    {
        let url = try PostgresURL(try #require(TestStore.postgresURL))
        let database = PostgresDatabase(
            configuration: url, minimumConnections: 1, maximumConnections: 1, preparing: preparing)
        let pool = Task { await database.run() }
        defer { pool.cancel() }
        try await body(database)
    }

    static func prepared(in db: any SQLDatabase) async throws -> [String: String] {
        var names: [String: String] = [:]
        for row in try await db.raw("SELECT name, statement FROM pg_prepared_statements").all() {
            names[try row.decode(column: "name", as: String.self)] = try row.decode(
                column: "statement", as: String.self)
        }
        return names
    }

    @Test("traffic counts every statement, BEGIN and COMMIT included, and the transactions among them")
    func countsTraffic() async throws {
        try await Self.withDatabase { database in
            let before = database.traffic
            try await database.transaction { db in
                try await db.raw("SELECT 1 AS n").run()
                try await db.raw("SELECT \(bind: 2) AS n").run()
            }
            _ = try await database.read { db in try await db.raw("SELECT 3 AS n").all() }
            #expect(database.traffic - before == PostgresTraffic(statements: 5, transactions: 1))
        }
    }

    @Test("a statement run often is prepared on the server under its own name, and gives the same rows as before")
    func oftenRunStatementIsPrepared() async throws {
        try await Self.withDatabase { database in
            let threshold = try #require(database.statements).threshold
            for run in 0..<(threshold + 5) {
                let sum = try await database.read { db in
                    try await db.raw("SELECT \(bind: run) + 1 AS n").first()?.decode(column: "n", as: Int.self)
                }
                #expect(sum == run + 1)
            }
            let prepared = try await database.read { db in try await Self.prepared(in: db) }
            #expect(prepared.contains { $0.key.hasPrefix("selfology_") && $0.value == "SELECT $1 + 1 AS n" })
            // Run once, a statement stays unnamed.
            #expect(!prepared.values.contains { $0.contains("pg_prepared_statements") })
        }
    }

    @Test("the same text bound with NULL and with a value is prepared apart, and both give the right answer")
    func nullAndValueArePreparedApart() async throws {
        try await Self.withDatabase { database in
            let threshold = try #require(database.statements).threshold
            for run in 0..<(2 * threshold + 4) {
                let value: Date? = run.isMultiple(of: 2) ? nil : Date(timeIntervalSince1970: 1_000)
                let missing = try await database.read { db in
                    try await db.raw("SELECT CAST(\(bind: value) AS TIMESTAMPTZ) IS NULL AS missing").first()?
                        .decode(column: "missing", as: Bool.self)
                }
                #expect(missing == (value == nil))
            }
            let prepared = try await database.read { db in try await Self.prepared(in: db) }
            #expect(prepared.values.filter { $0.contains("IS NULL AS missing") }.count == 2)
        }
    }

    @Test("a statement whose preparation failed in an already failed transaction runs afterwards on that connection")
    func failedPreparationIsNotKeptAsFailure() async throws {
        try await Self.withDatabase { database in
            let threshold = try #require(database.statements).threshold
            let text = "SELECT \(threshold) AS n, "
            // Bring the statement to the run that prepares it, inside a transaction that has already failed.
            for _ in 1..<threshold {
                _ = try await database.read { db in try await db.raw("\(unsafeRaw: text)\(bind: 1) AS m").all() }
            }
            await #expect(throws: (any Error).self) {
                try await database.transaction { db in
                    _ = try? await db.raw("SELECT 1 / \(bind: 0) AS broken").all()
                    _ = try await db.raw("\(unsafeRaw: text)\(bind: 1) AS m").all()
                }
            }
            let after = try await database.read { db in
                try await db.raw("\(unsafeRaw: text)\(bind: 7) AS m").first()?.decode(column: "m", as: Int.self)
            }
            #expect(after == 7)
        }
    }

    @Test("with preparing off (for a pooler that does not keep them), nothing is prepared")
    func preparingOff() async throws {
        try await Self.withDatabase(preparing: false) { database in
            for run in 0..<40 {
                let sum = try await database.read { db in
                    try await db.raw("SELECT \(bind: run) + 1 AS n").first()?.decode(column: "n", as: Int.self)
                }
                #expect(sum == run + 1)
            }
            #expect(try await database.read { db in try await Self.prepared(in: db) }.isEmpty)
        }
    }
}

@Suite("SELFOLOGY_PG_PREPARE from the environment")
struct PreparedStatementsSettingTests {
    func configuration(_ value: String?) throws -> RuntimeConfiguration {
        var environment = ["SELFOLOGY_DATA": "/tmp/x"]
        environment["SELFOLOGY_PG_PREPARE"] = value
        return try RuntimeConfiguration.fromEnvironment(environment)
    }

    @Test("on unless set off; anything else is refused, naming the variable")
    func onOrOff() throws {
        #expect(try configuration(nil).postgresPrepares)
        #expect(try configuration("on").postgresPrepares)
        #expect(try !configuration("off").postgresPrepares)
        let error = #expect(throws: ConfigurationError.self) { try configuration("no") }
        #expect("\(try #require(error))" == "SELFOLOGY_PG_PREPARE=no is not valid: expected on or off")
    }
}

/// Rows decode the store's column types directly and leave the rest, and errors, to PostgresKit (`StoreRow`).
@Suite("Result rows on PostgreSQL", .enabled(if: TestStore.postgresURL != nil))
struct StoreRowTests {
    @Test(
        "text, integers, doubles, booleans, timestamps and NULLs decode as before; other types and errors too",
        arguments: [true, false])
    func decodes(preparing: Bool) async throws {
        try await PreparedStatementsTests.withDatabase(preparing: preparing) { database in
            let moment = Date(timeIntervalSince1970: 1_700_000_000.5)
            let row = try #require(
                try await database.read { db in
                    try await db.raw(
                        """
                        SELECT 'text' AS t, CAST(7 AS INTEGER) AS small, CAST(9000000000 AS BIGINT) AS big,
                        2.5 :: FLOAT8 AS d, TRUE AS b, \(bind: moment) AS at, CAST(NULL AS TEXT) AS nothing,
                        ARRAY['x', 'y'] AS list
                        """
                    ).first()
                })
            #expect(try row.decode(column: "t", as: String.self) == "text")
            #expect(try row.decode(column: "small", as: Int.self) == 7)
            #expect(try row.decode(column: "big", as: Int64.self) == 9_000_000_000)
            #expect(try row.decode(column: "d", as: Double.self) == 2.5)
            #expect(try row.decode(column: "b", as: Bool.self))
            #expect(try row.decode(column: "at", as: Date.self) == moment)
            #expect(try row.decode(column: "nothing", as: String?.self) == nil)
            #expect(try row.decode(column: "t", as: String?.self) == "text")
            #expect(try row.decodeNil(column: "nothing"))
            #expect(try row.decode(column: "list", as: [String].self) == ["x", "y"], "left to PostgresKit")
            #expect(throws: (any Error).self) { try row.decode(column: "nothing", as: String.self) }
            #expect(throws: (any Error).self) { try row.decode(column: "absent", as: String.self) }
            #expect(Set(row.allColumns) == ["t", "small", "big", "d", "b", "at", "nothing", "list"])
        }
    }
}
