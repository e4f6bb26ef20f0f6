import Foundation
import SQLKit
import SelfologyCore

/// A row of `event_outbox` as the relay sees it.
public struct OutboxRow: Sendable {
    public let rowID: Int64
    public let envelope: EventEnvelope
    public let attempts: Int
}

/// The transactional outbox: handlers append in their transaction, the relay publishes and marks.
public enum OutboxStore {
    public enum Status: String {
        case pending, published, failed

        /// `status = '…'` with the value written as a literal (it is this enum's, never input): only then does
        /// the partial index of pending rows qualify, on SQLite and in PostgreSQL's generic plans alike. Bound,
        /// PostgreSQL's prepared count scanned the whole table: 20 ms against 0.3 ms over 150,000 rows.
        var condition: SQLRaw { SQLRaw("status = '\(rawValue)'") }
    }

    /// Rows in one INSERT at most: eleven values each stays far below SQLite's and PostgreSQL's limits on bound values.
    static let rowsPerInsert = 500

    static let appendColumns = [
        "event_id", "event_type", "event_version", "user_id", "trace_id", "occurred_at", "payload", "status",
        "attempts", "created_at", "next_attempt_at",
    ]

    /// Appends the events in order, in as few statements as the limit on bound values allows; most transactions
    /// emit one event, a batch's consumer transaction a few. Rows `leasedUntil` a time are reserved until then
    /// for the relay of the writing process (`RelayHandoff`): no scan takes them before.
    public static func append(
        _ envelopes: [EventEnvelope], now: Date, leasedUntil: Date? = nil, in db: any SQLDatabase
    ) async throws {
        for start in stride(from: 0, to: envelopes.count, by: rowsPerInsert) {
            let rows = envelopes[start..<min(envelopes.count, start + rowsPerInsert)]
            let values = rows.flatMap { envelope -> [any Encodable & Sendable] in
                [
                    envelope.id.rawValue, envelope.type.rawValue, envelope.version, envelope.userID.rawValue,
                    envelope.traceID, envelope.occurredAt, envelope.payload, Status.pending.rawValue, 0, now,
                    leasedUntil,
                ]
            }
            try await appendRows.run(rows: rows.count, values, on: db)
        }
    }

    /// The payload is JSON (PostgreSQL casts it to JSONB).
    private static let appendRows = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "event_outbox").columns(appendColumns)
        return insert.values(rows: rows, each: SQLTemplate.row(6) + [SQLTemplate.json] + SQLTemplate.row(4))
    })

    /// Relays listen on `<schema>_outbox`, so several deployments can share one database; on PostgreSQL a
    /// trigger notifies them when rows are written (migration 11).
    public static let outboxChannelSuffix = "_outbox"

    /// Pending rows due for (re)publishing, oldest first. In PostgreSQL the rows are locked with SKIP LOCKED so
    /// that several relays share the work without publishing the same row twice at once.
    public static func due(limit: Int, now: Date, in db: any SQLDatabase) async throws -> [OutboxRow] {
        try await dueQuery(limit: limit, now: now, in: db).all().map { row in
            OutboxRow(
                rowID: try row.decode(column: "id", as: Int64.self), envelope: try envelope(from: row),
                attempts: try row.decode(column: "attempts", as: Int.self))
        }
    }

    /// `due` for a relay that kept the envelopes its own process committed (`CommittedEvents`): only the due
    /// rows' ids are read, and whole rows only for the events not kept. Reading every row's payload back, to
    /// drop it for the kept envelope, was most of the embedded relay's time on the writer.
    static func due(
        limit: Int, now: Date, kept: (EventID) -> EventEnvelope?, in db: any SQLDatabase
    ) async throws -> [OutboxRow] {
        let heads = try await dueQuery(limit: limit, now: now, idsOnly: true, in: db).all()
            .map { head in
                let id = EventID(try head.decode(column: "event_id", as: String.self))
                return (
                    rowID: try head.decode(column: "id", as: Int64.self),
                    attempts: try head.decode(column: "attempts", as: Int.self), envelope: kept(id)
                )
            }
        let missing = heads.filter { $0.envelope == nil }.map(\.rowID)
        var read: [Int64: EventEnvelope] = [:]
        if !missing.isEmpty {
            for row in try await db.select().column("id").columns(envelopeColumns)
                .column(SQLJSONColumn(name: "payload")).from("event_outbox").where("id", .in, missing).all()
            {
                read[try row.decode(column: "id", as: Int64.self)] = try envelope(from: row)
            }
        }
        // Both reads are in the relay's transaction, so every row read first is there for the second.
        return heads.compactMap { head in
            (head.envelope ?? read[head.rowID]).map {
                OutboxRow(rowID: head.rowID, envelope: $0, attempts: head.attempts)
            }
        }
    }

    /// The relay's read. It walks the partial index of pending rows in id order and stops at `limit`. SQLite's
    /// planner preferred the (status, created_at) index and sorted every pending row to take the first
    /// hundred, so each batch cost as much as the backlog was long (1.6 ms a batch behind 1,000 people); there
    /// the index is named, and it qualifies only with the status written as a literal, not bound.
    /// `idsOnly`: the row, its attempts and its event id, without the envelope.
    static func dueQuery(limit: Int, now: Date, idsOnly: Bool = false, in db: any SQLDatabase) -> SQLSelectBuilder {
        var query = dueRows(limit: limit, now: now, in: db)
            .columns(idsOnly ? ["id", "attempts", "event_id"] : ["id", "attempts"] + envelopeColumns)
        if !idsOnly { query = query.column(SQLJSONColumn(name: "payload")) }
        return query
    }

    /// The due rows, oldest first, with no columns chosen yet; locked with SKIP LOCKED on PostgreSQL.
    private static func dueRows(limit: Int, now: Date, in db: any SQLDatabase) -> SQLSelectBuilder {
        let table: any SQLExpression =
            db.isPostgres ? SQLIdentifier("event_outbox") : SQLRaw("event_outbox INDEXED BY event_outbox_pending")
        var query = db.select()
            .from(table)
            .where(Status.pending.condition)
            .where {
                $0.where("next_attempt_at", .is, SQLLiteral.null).orWhere("next_attempt_at", .lessThanOrEqual, now)
            }
            .orderBy("id")
            .limit(limit)
        if db.isPostgres { query = query.lockingClause(SQLRaw("FOR UPDATE SKIP LOCKED")) }
        return query
    }

    /// Takes the due rows and marks them published in one statement, oldest first (PostgreSQL). Reading them
    /// and marking them after publishing took a statement more per round: two of the relay's five round trips
    /// for a one-event round at light load, where a round carries every event a person waits for. The caller
    /// publishes in the same transaction and throws if that fails, which rolls the mark back.
    public static func takeDue(limit: Int, now: Date, in db: any SQLDatabase) async throws -> [OutboxRow] {
        let due = dueRows(limit: limit, now: now, in: db).column("id")
        let columns: [any SQLExpression] =
            (["id", "attempts"] + envelopeColumns).map { SQLColumn($0) } + [SQLJSONColumn(name: "payload")]
        return try await db.update("event_outbox")
            .set("status", to: Status.published.rawValue).set("published_at", to: now)
            .where(SQLIdentifier("id"), .in, SQLSubquery(due.select))
            .returning(columns)
            .all()
            .map { row in
                OutboxRow(
                    rowID: try row.decode(column: "id", as: Int64.self), envelope: try envelope(from: row),
                    attempts: try row.decode(column: "attempts", as: Int.self))
            }
            .sorted { $0.rowID < $1.rowID }
    }

    /// Published events of the given types that `group` has no idempotency mark for, oldest first.
    public static func publishedNotApplied(by group: ConsumerGroup, types: [String], in db: any SQLDatabase)
        async throws -> [EventEnvelope]
    {
        try await db.select().columns(envelopeColumns).column(SQLJSONColumn(name: "payload"))
            .from("event_outbox")
            .where("status", .equal, Status.published.rawValue)
            .where("event_type", .in, types)
            .where(
                SQLQueryString(
                    "NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.consumer = \(bind: group.rawValue) AND p.event_id = event_outbox.event_id)"
                )
            )
            .orderBy("id")
            .all()
            .map(envelope(from:))
    }

    public static let envelopeColumns = [
        "event_id", "event_type", "event_version", "user_id", "trace_id", "occurred_at",
    ]

    public static func envelope(from row: any SQLRow) throws -> EventEnvelope {
        EventEnvelope(
            id: EventID(try row.decode(column: "event_id", as: String.self)),
            type: EventType(rawValue: try row.decode(column: "event_type", as: String.self)),
            version: try row.decode(column: "event_version", as: Int.self),
            occurredAt: try row.decode(column: "occurred_at", as: Date.self),
            traceID: try row.decode(column: "trace_id", as: String.self),
            userID: UserID(try row.decode(column: "user_id", as: String.self)),
            payload: try row.decode(column: "payload", as: String.self))
    }

    /// Marks rows published, found by `key`: the row ids a scan read, or the event ids the relay was handed.
    private static func markTemplate(key: String) -> SQLTemplate {
        SQLTemplate(rows: { db, rows in
            db.update("event_outbox").set("status", to: SQLTemplate.value).set("published_at", to: SQLTemplate.value)
                .where(SQLIdentifier(key), .in, SQLTemplate.values(rows))
        })
    }
    private static let markRows = markTemplate(key: "id")
    private static let markEventRows = markTemplate(key: "event_id")

    public static func markPublished(_ rowIDs: [Int64], now: Date, in db: any SQLDatabase) async throws {
        guard !rowIDs.isEmpty else { return }
        let values: [any Encodable & Sendable] = [Status.published.rawValue, now] + rowIDs.map { $0 }
        try await markRows.run(rows: rowIDs.count, values, on: db)
    }

    /// Marks events published by their ids: the relay's handed events (`RelayHandoff`), whose row ids it never read.
    public static func markPublished(events: [EventID], now: Date, in db: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        let values: [any Encodable & Sendable] = [Status.published.rawValue, now] + events.map(\.rawValue)
        try await markEventRows.run(rows: events.count, values, on: db)
    }

    /// Ends the lease of handed events whose publish failed: a scan retries them at `retryAt` like any other.
    public static func recordFailure(
        events: [EventID], error: String, retryAt: Date, in db: any SQLDatabase
    ) async throws {
        guard !events.isEmpty else { return }
        try await failure(error: error, retryAt: retryAt, in: db)
            .set("attempts", to: SQLRaw("attempts + 1"))
            .where("event_id", .in, events.map(\.rawValue))
            .run()
    }

    /// Records a failed publish: retried at `retryAt`, or marked failed for good when `retryAt` is nil.
    public static func recordFailure(
        _ rowID: Int64, attempts: Int, error: String, retryAt: Date?, in db: any SQLDatabase
    ) async throws {
        try await failure(error: error, retryAt: retryAt, in: db)
            .set("attempts", to: attempts)
            .where("id", .equal, rowID)
            .run()
    }

    /// The update both failures make. A row another relay published meanwhile keeps its mark.
    private static func failure(error: String, retryAt: Date?, in db: any SQLDatabase) -> SQLUpdateBuilder {
        db.update("event_outbox")
            .set("last_error", to: String(error.prefix(500)))
            .set("next_attempt_at", to: retryAt)
            .set("status", to: (retryAt == nil ? Status.failed : Status.pending).rawValue)
            .where("status", .equal, Status.pending.rawValue)
    }

    /// Makes an event's row pending again, as if just written, so the relay publishes it once more; false if the
    /// row is gone (deleted after the retention period).
    public static func republish(_ event: EventID, in db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.update("event_outbox")
            .set("status", to: Status.pending.rawValue)
            .set("attempts", to: 0)
            .set("next_attempt_at", to: SQLLiteral.null)
            .set("last_error", to: SQLLiteral.null)
            .set("published_at", to: SQLLiteral.null)
            .where("event_id", .equal, event.rawValue)
            .returning("id")
            .all()
        return !rows.isEmpty
    }

    /// Deletes published rows older than the retention period; returns how many.
    @discardableResult
    public static func deletePublished(before cutoff: Date, in db: any SQLDatabase) async throws -> Int {
        let rows = try await db.delete(from: "event_outbox")
            .where("status", .equal, Status.published.rawValue)
            .where("published_at", .lessThan, cutoff)
            .returning("id")
            .all()
        return rows.count
    }

    /// Deletes the published and failed rows of people who asked to be forgotten, from before their erasure (an
    /// earlier trace; the erasure itself and a fresh start after it stay). A row still pending is in flight, and
    /// goes in a later cleanup once published. The gateway's record of the erasure is the one read: it is written
    /// with the erasure itself. Without an index on the person (which every insert would pay for), this reads
    /// the whole table, so the relay's hourly cleanup does it rather than the erasure.
    public static func deleteErased(in db: any SQLDatabase) async throws -> Int {
        try await db.raw(
            """
            DELETE FROM event_outbox WHERE status <> \(bind: Status.pending.rawValue) \
            AND EXISTS (SELECT 1 FROM \(ident: PersonErasure.table) AS erased \
            WHERE erased.consumer = \(bind: ConsumerGroup.gateway.rawValue) AND erased.user_id = event_outbox.user_id \
            AND erased.trace_id\(unsafeRaw: PersonErasure.byCharacters(in: db)) > event_outbox.trace_id) \
            RETURNING id
            """
        ).all().count
    }

    /// Counting pending rows is `settle`'s, polled every few milliseconds while the last events are applied: on
    /// their partial index (`Status.condition`), not a scan of every row retained.
    public static func count(status: Status, in db: any SQLDatabase) async throws -> Int {
        let row = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("event_outbox").where(status.condition).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}
