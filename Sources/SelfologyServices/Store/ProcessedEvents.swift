import Foundation
import SQLKit
import SelfologyCore

/// Idempotency marks: which events each consumer group has applied.
public enum ProcessedEvents {
    /// Records that `group` applies `event` in this transaction. Returns false if it was applied before, in which
    /// case the caller must do nothing. Inserting the mark first also serialises two consumers racing on the
    /// same event in PostgreSQL: the second waits on the first's row and then sees the conflict.
    public static func claim(_ event: EventID, for group: ConsumerGroup, now: Date, in db: any SQLDatabase)
        async throws -> Bool
    {
        let inserted = try await db.insert(into: "processed_events")
            .columns("consumer", "event_id", "processed_at")
            .values(SQLBind(group.rawValue), SQLBind(event.rawValue), SQLBind(now))
            .ignoringConflicts(with: ["consumer", "event_id"])
            .returning("event_id")
            .all()
        return !inserted.isEmpty
    }

    /// `claim` for a whole batch in one statement: returns the events not applied before.
    public static func claim(_ events: [EventID], for group: ConsumerGroup, now: Date, in db: any SQLDatabase)
        async throws -> Set<EventID>
    {
        let unique = Array(Set(events))
        guard !unique.isEmpty else { return [] }
        let values = unique.flatMap { event -> [any Encodable & Sendable] in [group.rawValue, event.rawValue, now] }
        let inserted = try await claimRows.all(rows: unique.count, values, on: db)
        return Set(try inserted.map { EventID(try $0.decode(column: "event_id", as: String.self)) })
    }

    private static let claimRows = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "processed_events").columns("consumer", "event_id", "processed_at")
        insert.values(rows: rows, each: SQLTemplate.row(3))
        return insert.ignoringConflicts(with: ["consumer", "event_id"]).returning("event_id")
    })

    /// Which of `events` the group has applied already.
    public static func applied(_ events: [EventID], by group: ConsumerGroup, in db: any SQLDatabase) async throws
        -> Set<EventID>
    {
        guard !events.isEmpty else { return [] }
        let rows = try await db.select().column("event_id").from("processed_events")
            .where("consumer", .equal, group.rawValue)
            .where("event_id", .in, events.map(\.rawValue))
            .all()
        return Set(try rows.map { EventID(try $0.decode(column: "event_id", as: String.self)) })
    }

    /// Sets an event aside after it failed too often, and marks it settled so recovery does not replay it.
    public static func recordDeadLetter(
        _ delivery: Delivery, group: ConsumerGroup, error: String, now: Date, in db: any SQLDatabase
    ) async throws {
        try await db.insert(into: "dead_letters")
            .columns("consumer", "event_id", "event_type", "attempts", "error", "failed_at")
            .values(
                SQLBind(group.rawValue), SQLBind(delivery.envelope.id.rawValue),
                SQLBind(delivery.envelope.type.rawValue), SQLBind(delivery.attempt), SQLBind(String(error.prefix(500))),
                SQLBind(now)
            )
            .run()
        _ = try await claim(delivery.envelope.id, for: group, now: now, in: db)
    }

    /// Forgets that a group applied an event, so it applies it when it comes again (a dead letter put back).
    /// The group by name: a letter may name a group this build no longer has.
    public static func forget(_ event: EventID, byGroupNamed group: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "processed_events")
            .where("consumer", .equal, group)
            .where("event_id", .equal, event.rawValue)
            .run()
    }

    /// Forgets marks older than `cutoff`; only safe for events that can no longer be redelivered.
    @discardableResult
    public static func deleteMarks(before cutoff: Date, in db: any SQLDatabase) async throws -> Int {
        try await db.delete(from: "processed_events").where("processed_at", .lessThan, cutoff)
            .returning("event_id").all().count
    }
}
