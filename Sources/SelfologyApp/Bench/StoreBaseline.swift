import Foundation
import SQLKit
import SelfologyServices

/// The store's own limit, measured in the same run as the load: one-row transactions per second, and rows per
/// second when 100 rows share a transaction (what the relay's and the consumers' batching buys).
public enum StoreBaseline {
    public struct Figures: Sendable {
        public let commitsPerSecond: Double
        public let batchedRowsPerSecond: Double
    }

    static func measure(_ database: any Database, rows single: Int) async throws -> Figures {
        let table = "bench_raw_\(UInt32.random(in: 0...UInt32.max))"
        try await database.transaction { db in
            try await db.create(table: table).column("id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("payload", type: .text, .notNull).run()
        }
        var start = ContinuousClock.now
        for index in 0..<single {
            try await database.transaction { db in
                try await db.insert(into: table).columns("payload").values(SQLBind("event \(index)")).run()
            }
        }
        let commits = Double(single) / (ContinuousClock.now - start).seconds
        let batches = single / 10
        start = ContinuousClock.now
        for batch in 0..<batches {
            try await database.transaction { db in
                let insert = db.insert(into: table).columns("payload")
                for index in 0..<100 { insert.values(SQLBind("event \(batch)-\(index)")) }
                try await insert.run()
            }
        }
        let batched = Double(batches * 100) / (ContinuousClock.now - start).seconds
        try await database.transaction { db in try await db.drop(table: table).run() }
        return Figures(commitsPerSecond: commits, batchedRowsPerSecond: batched)
    }
}
