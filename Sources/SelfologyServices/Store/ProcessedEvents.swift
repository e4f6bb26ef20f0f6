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

    /// `claim` for a whole batch in one statement: returns the events not applied before. An event about a person
    /// the group has forgotten since the event's trace began is not claimed either: it must do nothing
    /// (`PersonErasure`). Looking that up here costs no statement of its own on an answer's way.
    public static func claim(_ events: [EventEnvelope], for group: ConsumerGroup, now: Date, in db: any SQLDatabase)
        async throws -> Set<EventID>
    {
        var seen = Set<EventID>()
        let unique = events.filter { seen.insert($0.id).inserted }
        guard !unique.isEmpty else { return [] }
        let values = unique.flatMap { event -> [any Encodable & Sendable] in
            [group.rawValue, event.id.rawValue, now, event.userID.rawValue, event.traceID]
        }
        let inserted = try await claimRows.all(rows: unique.count, values, on: db)
        return Set(try inserted.map { EventID(try $0.decode(column: "event_id", as: String.self)) })
    }

    /// VALUES columns are named column1, column2, … in both SQLite and PostgreSQL. SQLite needs the WHERE to read
    /// ON CONFLICT as the insert's, not a join's.
    private static let claimRows = SQLTemplate(rows: { db, rows in
        let value = SQLTemplate.value
        var claimed: SQLQueryString = ""
        for row in 0..<rows {
            claimed += "\(unsafeRaw: row == 0 ? "" : ", ")(\(value), \(value), \(value), \(value), \(value))"
        }
        return db.raw(
            """
            INSERT INTO processed_events (consumer, event_id, processed_at) \
            SELECT claimed.column1, claimed.column2, claimed.column3 FROM (VALUES \(claimed)) AS claimed \
            WHERE NOT EXISTS (SELECT 1 FROM \(ident: PersonErasure.table) AS erased \
            WHERE erased.consumer = claimed.column1 AND erased.user_id = claimed.column4 \
            AND erased.trace_id\(unsafeRaw: PersonErasure.byCharacters(in: db)) > claimed.column5) \
            ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id
            """)
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
