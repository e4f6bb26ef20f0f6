import Foundation
import SQLKit
import SelfologyCore
import SelfologyEmbedded
import Testing

@testable import SelfologyServices

/// The relay's read of the outbox: which rows it takes, and that on SQLite it walks the index of pending rows
/// instead of sorting the whole backlog on every batch.
@Suite("Outbox: the relay's read")
struct OutboxReadTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func envelope(_ index: Int) -> EventEnvelope {
        EventEnvelope(
            id: EventID(rawValue: String(format: "evt-%04d", index)),
            type: EventType(rawValue: "user.answer.submitted"),
            version: 1, occurredAt: start, traceID: "trace-\(index)", userID: UserID("person-\(index % 3)"),
            payload: "{\"n\":\(index)}")
    }

    /// Twelve rows: 0-2 published, 3 failed for good, 4 waiting for a retry until after `start`, the rest pending.
    func outboxWithMixedRows() async throws -> SQLiteDatabase {
        let database = try await ProfileVersioningTests.migratedStore()
        let start = self.start
        let envelopes = (0..<12).map(envelope)
        try await database.transaction { db in
            try await OutboxStore.append(envelopes, now: start, in: db)
            let ids = try await OutboxStore.due(limit: 100, now: start, in: db).map(\.rowID)
            try await OutboxStore.markPublished(Array(ids[0..<3]), now: start, in: db)
            try await OutboxStore.recordFailure(ids[3], attempts: 6, error: "gone", retryAt: nil, in: db)
            try await OutboxStore.recordFailure(
                ids[4], attempts: 1, error: "later", retryAt: start.addingTimeInterval(2), in: db)
        }
        return database
    }

    @Test("it takes due pending rows only, oldest first, up to the limit")
    func takesDuePendingRowsInOrder() async throws {
        let database = try await outboxWithMixedRows()
        let start = self.start
        let now = try await database.read { db in
            try await OutboxStore.due(limit: 4, now: start, in: db).map(\.envelope.id.rawValue)
        }
        #expect(now == ["evt-0005", "evt-0006", "evt-0007", "evt-0008"])
        let later = try await database.read { db in
            try await OutboxStore.due(limit: 100, now: start.addingTimeInterval(3), in: db).map(\.envelope.id.rawValue)
        }
        #expect(later == ["evt-0004"] + (5..<12).map { String(format: "evt-%04d", $0) })
        let row = try #require(
            try await database.read { db in try await OutboxStore.due(limit: 1, now: start, in: db) }.first)
        #expect(row.envelope == envelope(5) && row.attempts == 0)
        try await database.close()
    }

    @Test("on SQLite it walks the index of pending rows in id order, with no sort of the backlog")
    func walksThePendingIndex() async throws {
        let database = try await outboxWithMixedRows()
        let start = self.start
        let plan = try await database.read { db in
            try await db.raw("EXPLAIN QUERY PLAN \(OutboxStore.dueQuery(limit: 100, now: start, in: db).query)").all()
                .map { try $0.decode(column: "detail", as: String.self) }
        }
        #expect(plan.contains { $0.contains("event_outbox_pending") }, "plan: \(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "plan: \(plan)")
        try await database.close()
    }
}
