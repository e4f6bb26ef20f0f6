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
