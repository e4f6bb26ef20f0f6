import Foundation
import SQLKit
import SelfologyEmbedded
import SelfologyServices
import Testing

/// The embedded store runs SQLKit's statements on GRDB itself; these pin what goes in comes back out.
@Suite("SQLite store: values, errors and transactions")
struct SQLiteStoreTests {
    enum Mood: String, Codable { case calm }

    func makeTable() async throws -> SQLiteDatabase {
        let database = try await SQLiteDatabase.open(path: nil)
        try await database.transaction { db in
            try await db.create(table: "sample")
                .column("id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("text", type: .text).column("count", type: .bigint).column(
                    "ratio", type: .custom(SQLRaw("REAL"))
                )
                .column("flag", type: .int).column("at", type: .custom(SQLRaw("REAL"))).column("mood", type: .text)
                .run()
        }
        return database
    }

    @Test("every kind of bound value is read back as it went in")
    func roundTrip() async throws {
        let database = try await makeTable()
        let moment = Date(timeIntervalSince1970: 1_790_000_000.25)
        let id = try await database.transaction { db in
            try await db.insert(into: "sample").columns("text", "count", "ratio", "flag", "at", "mood")
                .values(
                    SQLBind("Тревога и надежда ✨"), SQLBind(Int64.max), SQLBind(0.125), SQLBind(true),
                    SQLBind(moment), SQLBind(Mood.calm)
                )
                .returning("id").first()?.decode(column: "id", as: Int64.self)
        }
        let row = try #require(
            try await database.read { db in
                try await db.select().columns("*").from("sample").where("id", .equal, id).first()
            })
        #expect(try row.decode(column: "text", as: String.self) == "Тревога и надежда ✨")
        #expect(try row.decode(column: "count", as: Int64.self) == Int64.max)
        #expect(try row.decode(column: "ratio", as: Double.self) == 0.125)
        #expect(try row.decode(column: "flag", as: Bool.self))
        #expect(try row.decode(column: "at", as: Date.self) == moment)
        #expect(try row.decode(column: "at", as: Date?.self) == moment)
        #expect(try row.decode(column: "mood", as: Mood.self) == .calm)
        try await database.close()
    }

    @Test("nil binds store NULL and decode as nil")
    func nulls() async throws {
        let database = try await makeTable()
        let missing: String? = nil
        let row = try #require(
            try await database.transaction { db in
                try await db.insert(into: "sample").columns("text", "count").values(SQLBind(missing), SQLBind(3))
                    .run()
                return try await db.select().columns("text", "count").from("sample").first()
            })
        #expect(try row.decodeNil(column: "text"))
        #expect(try row.decode(column: "text", as: String?.self) == nil)
        #expect(try row.decode(column: "count", as: Int?.self) == 3)
        try await database.close()
    }

    @Test("a wrong type or a missing column is a clear error that never quotes the stored words")
    func decodingErrors() async throws {
        let database = try await makeTable()
        let secret = "I told nobody about this"
        let row = try #require(
            try await database.transaction { db in
                try await db.insert(into: "sample").columns("text").values(SQLBind(secret)).run()
                return try await db.select().columns("text").from("sample").first()
            })
        let mismatch = #expect(throws: DecodingError.self) { try row.decode(column: "text", as: Int.self) }
        let message = "\(String(describing: mismatch))"
        #expect(message.contains("TEXT"))
        #expect(!message.contains("nobody"))
        #expect(throws: DecodingError.self) { try row.decode(column: "absent", as: String.self) }
        try await database.close()
    }

    @Test("a transaction that throws leaves nothing behind, and the store stays usable")
    func rollback() async throws {
        let database = try await makeTable()
        struct Abandon: Error {}
        await #expect(throws: Abandon.self) {
            try await database.transaction { db in
                try await db.insert(into: "sample").columns("text").values(SQLBind("draft")).run()
                throw Abandon()
            }
        }
        let count = try await database.transaction { db in
            try await db.insert(into: "sample").columns("text").values(SQLBind("kept")).run()
            return try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("sample")
                .first()?.decode(column: "n", as: Int.self)
        }
        #expect(count == 1)
        try await database.close()
    }

    @Test("a file store keeps its rows across reopening")
    func reopen() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("selfology-sqlite-\(UUID().uuidString)/store.sqlite").path
        let first = try await SQLiteDatabase.open(path: path)
        try await first.transaction { db in
            try await db.raw("CREATE TABLE note (body TEXT NOT NULL)").run()
            try await db.insert(into: "note").columns("body").values(SQLBind("stays")).run()
        }
        try await first.close()
        let second = try await SQLiteDatabase.open(path: path)
        let body = try await second.read { db in
            try await db.select().column("body").from("note").first()?.decode(column: "body", as: String.self)
        }
        #expect(body == "stays")
        try await second.close()
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }
}

@Suite("SQLite schema")
struct SQLiteSchemaTests {
    @Test("an id of a deleted newest message or outbox row is never given out again; rows kept through migration 15")
    func idsNeverReused() async throws {
        let database = try await SQLiteDatabase.open(path: nil)
        let before = SchemaV1.migrations.filter { $0.version < 15 }
        try await Migrator.migrate(database, migrations: before)
        let kept = try await database.transaction { db in
            try await db.insert(into: "outgoing_messages").columns("user_id", "body", "created_at")
                .values(SQLBind("u"), SQLBind("{}"), SQLBind(Date())).returning("id").first()?
                .decode(column: "id", as: Int64.self)
        }
        try await Migrator.migrate(database)
        for table in ["outgoing_messages", "event_outbox"] {
            let (newest, next) = try await database.transaction { db -> (Int64, Int64) in
                let newest = try await Self.insert(into: table, in: db)
                try await db.delete(from: table).where("id", .equal, newest).run()
                return (newest, try await Self.insert(into: table, in: db))
            }
            #expect(next > newest, "\(table) gave id \(newest) out twice")
        }
        let survivor = try await database.read { db in
            try await db.select().column("id").from("outgoing_messages").where("id", .equal, kept).first()
        }
        #expect(survivor != nil, "the message written before the migration is still there")
        try await database.close()
    }

    static func insert(into table: String, in db: any SQLDatabase) async throws -> Int64 {
        let now = Date()
        let insert =
            table == "outgoing_messages"
            ? db.insert(into: table).columns("user_id", "body", "created_at")
                .values(SQLBind("u"), SQLBind("{}"), SQLBind(now))
            : db.insert(into: table).columns(
                "event_id", "event_type", "event_version", "user_id", "trace_id", "occurred_at", "payload", "status",
                "created_at"
            )
            .values(
                SQLBind(UUID().uuidString), SQLBind("t"), SQLBind(1), SQLBind("u"), SQLBind("tr"), SQLBind(now),
                SQLBind("{}"), SQLBind("published"), SQLBind(now))
        return try await insert.returning("id").first()?.decode(column: "id", as: Int64.self) ?? -1
    }
}
