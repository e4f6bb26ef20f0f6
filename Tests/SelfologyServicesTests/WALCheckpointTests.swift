import Foundation
import SQLKit
import SelfologyEmbedded
import SelfologyServices
import Testing

/// The file store's WAL is copied back into the database by a connection of its own, not by the writer's commits.
@Suite("SQLite store: checkpoints beside the writer")
struct WALCheckpointTests {
    /// About 1.2 MB of rows in one transaction: 300 pages, far below the writer's own checkpoint threshold.
    static func writeRows(_ database: SQLiteDatabase) async throws {
        try await database.transaction { db in
            for _ in 0..<300 {
                try await db.insert(into: "filler").columns("body").values(SQLBind(String(repeating: "x", count: 4000)))
                    .run()
            }
        }
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test("committed pages reach the database file without the writer checkpointing, and the WAL starts over")
    func pagesAreCopiedBeside() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("store.sqlite").path
        let database = try await SQLiteDatabase.open(path: path)
        try await database.transaction { db in
            try await db.create(table: "filler").column("body", type: .text).run()
        }
        try await Self.writeRows(database)
        // The writer alone would leave the rows in the WAL until it held 10,000 pages.
        try await eventually { Self.size(path) > 1_000_000 }

        // Once everything is copied, the next write starts the WAL from its beginning instead of growing it. The
        // file grows while a checkpoint copies, before it is done; a few intervals later it surely is.
        let walAfterFirst = Self.size(path + "-wal")
        for _ in 0..<5 {
            try await Task.sleep(for: .milliseconds(300))
            let fileBefore = Self.size(path)
            try await Self.writeRows(database)
            try await eventually { Self.size(path) > fileBefore + 1_000_000 }
        }
        // Never started over, it would hold all six writes.
        #expect(Self.size(path + "-wal") < 2 * walAfterFirst, "the WAL was reused, not grown")
        let count = try await database.read { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("filler").first()?
                .decode(column: "n", as: Int.self)
        }
        #expect(count == 1800)
        try await database.close()
    }
}
