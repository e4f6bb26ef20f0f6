import Foundation
import SQLKit
import SelfologyCore
import Testing

@testable import SelfologyServices

/// Templates are serialized once per dialect and then only bind values: these pin that every run binds its own
/// values, in placeholder order, on both stores.
@Suite("SQL templates")
struct SQLTemplateTests {
    static let insert = SQLTemplate { db in
        db.insert(into: "template_notes").columns("id", "body", "note", "document")
            .values(SQLTemplate.value, SQLTemplate.value, SQLTemplate.value, SQLTemplate.json)
            .onConflict(with: ["id"]) { $0.set(excludedValueOf: "body").set(excludedValueOf: "note") }
    }
    static let byBody = SQLTemplate { db in
        db.select().columns("id", "note").column(SQLJSONColumn(name: "document")).from("template_notes")
            .where("body", .equal, SQLTemplate.value).orderBy("id")
    }
    static let rename = SQLTemplate { db in
        db.update("template_notes").set("body", to: SQLTemplate.value).where("id", .equal, SQLTemplate.value)
            .returning("id")
    }

    func makeTable(on database: any Database) async throws {
        try await database.transaction { db in
            try await db.create(table: "template_notes")
                .column("id", type: .bigint, .primaryKey(autoIncrement: false)).column("body", type: .text)
                .column("note", type: .text).column("document", type: db.json).run()
        }
    }

    func notes(_ body: String, in database: any Database) async throws -> [(Int, String?, String)] {
        try await database.read { db in
            try await Self.byBody.all(body, on: db).map { row in
                (
                    try row.decode(column: "id", as: Int.self), try row.decode(column: "note", as: String?.self),
                    try row.decode(column: "document", as: String.self)
                )
            }
        }
    }

    @Test("one template runs again and again, each run with its own values", arguments: TestStore.available)
    func runsWithNewValues(store: TestStore) async throws {
        let test = try await TestRuntime(store: store, startServices: false)
        let database = test.runtime.database
        try await makeTable(on: database)
        try await database.transaction { db in
            for id in 1...3 {
                let note: String? = id == 2 ? nil : "n\(id)"
                try await Self.insert.run(id, id == 3 ? "other" : "same", note, #"{"k":\#(id)}"#, on: db)
            }
        }
        let same = try await notes("same", in: database)
        #expect(same.map(\.0) == [1, 2])
        #expect(same.map(\.1) == ["n1", nil])
        #expect(
            try same.map { try JSONDecoder().decode([String: Int].self, from: Data($0.2.utf8)) } == [
                ["k": 1], ["k": 2],
            ])

        // The upsert's conflict branch and an UPDATE … RETURNING, values bound in placeholder order.
        let renamed = try await database.transaction { db in
            try await Self.insert.run(1, "other", "changed", #"{"k":9}"#, on: db)
            return try await Self.rename.all("same", 3, on: db).map { try $0.decode(column: "id", as: Int.self) }
        }
        #expect(renamed == [3])
        #expect(try await notes("same", in: database).map(\.0) == [2, 3])
        let other = try await notes("other", in: database)
        #expect(other.map(\.0) == [1])
        #expect(other.map(\.1) == ["changed"])
        try await test.stop()
    }

    static let insertRows = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "template_notes").columns("id", "body", "note", "document")
        for _ in 0..<rows {
            insert.values(SQLTemplate.value, SQLTemplate.value, SQLTemplate.value, SQLTemplate.json)
        }
        return insert
    })

    @Test(
        "a multi-row template has one text per row count, kept or not, each run with its own values",
        arguments: TestStore.available)
    func rowCounts(store: TestStore) async throws {
        let test = try await TestRuntime(store: store, startServices: false)
        let database = test.runtime.database
        try await makeTable(on: database)
        var next = 0
        // 3 twice (the kept text reused), then 1, then more than are kept.
        for count in [3, 3, 1, SQLTemplate.keptRowCounts + 6] {
            let ids = (next..<next + count).map { $0 }
            next += count
            try await database.transaction { db in
                try await Self.insertRows.run(
                    rows: count,
                    ids.flatMap { id -> [any Encodable & Sendable] in [id, "rows", "n\(id)", #"{"k":\#(id)}"#] },
                    on: db)
            }
        }
        let rows = try await notes("rows", in: database)
        #expect(rows.map(\.0) == Array(0..<next))
        #expect(rows.map(\.1) == (0..<next).map { "n\($0)" })
        let wrong = await #expect(throws: SQLTemplateError.self) {
            try await database.transaction { db in
                try await Self.insertRows.run(rows: 2, [1, "b", nil as String?, "{}"], on: db)
            }
        }
        #expect("\(try #require(wrong))".contains("takes 8 values, 4 given"))
        try await test.stop()
    }

    @Test(
        "a run with too few or too many values is refused, naming the statement, and changes nothing",
        arguments: TestStore.available)
    func wrongValueCount(store: TestStore) async throws {
        let test = try await TestRuntime(store: store, startServices: false)
        let database = test.runtime.database
        try await makeTable(on: database)
        let tooFew = await #expect(throws: SQLTemplateError.self) {
            try await database.transaction { db in try await Self.insert.run(1, "b", on: db) }
        }
        let tooMany = await #expect(throws: SQLTemplateError.self) {
            try await database.transaction { db in _ = try await Self.rename.all("b", 1, "surplus", on: db) }
        }
        #expect("\(try #require(tooFew))".contains("takes 4 values, 2 given"))
        #expect("\(try #require(tooMany))".contains("UPDATE"))
        #expect(try await notes("b", in: database).isEmpty)
        try await test.stop()
    }

    @Test(
        "the text is kept per dialect: the same template runs on SQLite and on PostgreSQL in one process",
        .enabled(if: TestStore.postgresURL != nil))
    func onePerDialect() async throws {
        for store in [TestStore.sqlite, .postgres, .sqlite] {
            let test = try await TestRuntime(store: store, startServices: false)
            try await makeTable(on: test.runtime.database)
            try await test.runtime.database.transaction { db in
                try await Self.insert.run(7, "both", "on \(store)", "{}", on: db)
            }
            #expect(try await notes("both", in: test.runtime.database).map(\.1) == ["on \(store)"])
            try await test.stop()
        }
    }

    static let insertOnce = SQLTemplate { db in
        db.insert(into: "template_notes").columns("id", "body", "note", "document")
            .values(SQLTemplate.value, SQLTemplate.value, SQLTemplate.value, SQLTemplate.json)
    }

    @Test(
        "a template that fails (a key taken) throws the store's error, undoes its transaction and runs again after",
        arguments: TestStore.available)
    func failureLeavesTheStatementUsable(store: TestStore) async throws {
        let test = try await TestRuntime(store: store, startServices: false)
        let database = test.runtime.database
        try await makeTable(on: database)
        try await database.transaction { db in try await Self.insertOnce.run(1, "kept", "first", "{}", on: db) }
        await #expect(throws: (any Error).self) {
            try await database.transaction { db in
                try await Self.insertOnce.run(2, "kept", "undone", "{}", on: db)
                try await Self.insertOnce.run(1, "kept", "same key", "{}", on: db)
            }
        }
        // An empty text stays empty, not NULL.
        try await database.transaction { db in try await Self.insertOnce.run(3, "kept", "", "{}", on: db) }
        let kept = try await notes("kept", in: database)
        #expect(kept.map(\.0) == [1, 3])
        #expect(kept.map(\.1) == ["first", ""])
        try await test.stop()
    }
}
