import Foundation
import SQLKit
import SelfologyCore

/// What /forget leaves behind: per consumer group, the person and the trace of their erasure. It holds no more
/// than an id and an event id, and is what keeps work about the person that began before the erasure (an earlier
/// trace: trace ids are time-ordered) from writing anything again when it arrives later; `ProcessedEvents.claim`
/// drops it. A fresh /start after the erasure begins a later trace and is applied as anyone's.
/// Kept as long as the idempotency marks: after that an event can no longer be redelivered.
public enum PersonErasure {
    static let table = "erased_people"

    /// Records that `group` has forgotten `user` in the erasure of trace `trace` (replacing an earlier one's).
    public static func record(
        _ user: UserID, trace: String, group: ConsumerGroup, now: Date, in db: any SQLDatabase
    ) async throws {
        try await db.insert(into: table).columns("consumer", "user_id", "trace_id", "erased_at")
            .values(SQLBind(group.rawValue), SQLBind(user.rawValue), SQLBind(trace), SQLBind(now))
            .onConflict(with: ["consumer", "user_id"], replacing: ["trace_id", "erased_at"])
            .run()
    }

    /// The people forgotten within the records' lifetime, each with the trace of their erasure, as the gateway
    /// recorded it with the erasure itself.
    public static func erasures(in db: any SQLDatabase) async throws -> [UserID: String] {
        var erasures: [UserID: String] = [:]
        for row in try await db.select().columns("user_id", "trace_id").from(table)
            .where("consumer", .equal, ConsumerGroup.gateway.rawValue).all()
        {
            erasures[UserID(try row.decode(column: "user_id", as: String.self))] = try row.decode(
                column: "trace_id", as: String.self)
        }
        return erasures
    }

    /// Deletes the records of erasures older than `cutoff`.
    @discardableResult
    public static func deleteRecords(before cutoff: Date, in db: any SQLDatabase) async throws -> Int {
        try await db.delete(from: table).where("erased_at", .lessThan, cutoff).returning("user_id").all().count
    }

    /// What makes PostgreSQL compare trace ids by their characters, whatever the database's locale (SQLite
    /// always does).
    static func byCharacters(in db: any SQLDatabase) -> String { db.isPostgres ? #" COLLATE "C""# : "" }
}
