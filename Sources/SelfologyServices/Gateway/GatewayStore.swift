import Foundation
import SQLKit
import SelfologyCore

/// The gateway's own tables: consented people's conversation state and messages waiting for delivery.
enum GatewayStore {
    private static let statesOfUsers = statesTemplate(locking: false)

    /// The front door and the event side both write people's states, in transactions of their own. On PostgreSQL
    /// each locks the rows it read until it commits, so neither writes back a state the other has changed or
    /// deleted (/forget) in the meantime. Both lock in user order (sorted before locking), so they cannot
    /// deadlock. SQLite runs one writer at a time and leaves the clause out.
    private static let lockedStatesOfUsers = statesTemplate(locking: true)

    private static func statesTemplate(locking: Bool) -> SQLTemplate {
        SQLTemplate(rows: { db, rows in
            let select = db.select().column("user_id").column(SQLJSONColumn(name: "state")).from("gateway_users")
                .where(SQLIdentifier("user_id"), .in, SQLTemplate.values(rows))
            return locking ? select.orderBy("user_id").for(.update) : select
        })
    }

    static func state(of user: UserID, in db: any SQLDatabase) async throws -> ChatState? {
        try await states(of: [user], in: db)[user]
    }

    /// The stored states of these people, read in one statement; `forUpdate` in a transaction that writes them
    /// (`lockedStatesOfUsers`).
    static func states(of users: [UserID], forUpdate: Bool = false, in db: any SQLDatabase) async throws
        -> [UserID: ChatState]
    {
        let unique = Set(users).map(\.rawValue)
        guard !unique.isEmpty else { return [:] }
        var states: [UserID: ChatState] = [:]
        let read = forUpdate ? lockedStatesOfUsers : statesOfUsers
        for row in try await read.all(rows: unique.count, unique, on: db) {
            let text = try row.decode(column: "state", as: String.self)
            states[UserID(try row.decode(column: "user_id", as: String.self))] =
                try storedStates.value(for: text) ?? EventCoding.decode(ChatState.self, from: text)
        }
        return states
    }

    /// States by the text they were stored as: a state is read back, in this process and soon, by the person's
    /// next message or the next event for them, and decoding it was about 4% of the embedded writer's time.
    /// What is kept is the state as its text decodes (`asDecoded`), so a hit equals a decode. PostgreSQL hands
    /// JSONB back in its own spelling, which simply never hits.
    private static let storedStates = BoundedMemo<String, ChatState>(capacity: 4096)

    private static let saveStates = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "gateway_users").columns("user_id", "state", "updated_at")
        insert.values(rows: rows, each: [SQLTemplate.value, SQLTemplate.json, SQLTemplate.value])
        return insert.onConflict(with: ["user_id"], replacing: ["state", "updated_at"])
    })

    /// Writes these people's states in one statement, in user order so that two writers lock rows alike.
    static func save(_ states: [UserID: ChatState], now: Date, in db: any SQLDatabase) async throws {
        guard !states.isEmpty else { return }
        let values = try states.sorted { $0.key.rawValue < $1.key.rawValue }.flatMap {
            user, state -> [any Encodable & Sendable] in [user.rawValue, try text(of: state), now]
        }
        try await saveStates.run(rows: states.count, values, on: db)
    }

    private static let enqueueRows = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "outgoing_messages").columns("user_id", "body", "created_at")
        insert.values(rows: rows, each: [SQLTemplate.value, SQLTemplate.json, SQLTemplate.value])
        return insert.returning("id")
    })

    /// Queued messages by the text they were stored as: the dispatcher reads back, in this process and soon,
    /// what the gateway has just queued, and decoding it cost 2% of the embedded runtime's CPU. A message's text
    /// decodes to exactly the message (no dates in it), so a hit is what a decode would give.
    private static let queuedTexts = BoundedMemo<String, OutgoingMessage>(capacity: 4096)

    private static func text(of state: ChatState) throws -> String {
        let text = try EventCoding.encodeToString(state)
        storedStates.remember(state.asDecoded, for: text)
        return text
    }

    private static func text(of message: OutgoingMessage) throws -> String {
        let text = try EventCoding.encodeToString(message)
        queuedTexts.remember(message, for: text)
        return text
    }

    /// A message to queue for a person.
    struct Reply {
        let user: UserID
        let message: OutgoingMessage
        let queuedAt: Date
    }

    /// Queues the messages in one statement; they are delivered in this order. Returns them with their ids.
    @discardableResult
    static func enqueue(_ replies: [Reply], in db: any SQLDatabase) async throws -> [Queued] {
        guard !replies.isEmpty else { return [] }
        let values = try replies.flatMap { reply -> [any Encodable & Sendable] in
            [reply.user.rawValue, try text(of: reply.message), reply.queuedAt]
        }
        // One INSERT takes its ids from the sequence row after row, so the smallest id is the first reply's.
        let ids = try await enqueueRows.all(rows: replies.count, values, on: db)
            .map { try $0.decode(column: "id", as: Int64.self) }.sorted()
        guard ids.count == replies.count else { throw QueueError.idsMissing(expected: replies.count, got: ids.count) }
        return zip(ids, replies).map { Queued(id: $0, user: $1.user, message: $1.message) }
    }

    enum QueueError: Error {
        case idsMissing(expected: Int, got: Int)
    }

    struct Queued: Sendable {
        let id: Int64
        let user: UserID
        let message: OutgoingMessage
    }

    /// The limit is written into the text, not bound: PostgreSQL then plans the read once per connection for
    /// that limit (`PreparedStatements`), where a generic plan for an unknown limit made it several times
    /// slower under load.
    static func unsent(limit: Int, in db: any SQLDatabase) async throws -> [Queued] {
        try await db.raw(
            """
            SELECT id, user_id, \(SQLJSONColumn(name: "body")) FROM outgoing_messages WHERE sent_at IS NULL \
            ORDER BY id LIMIT \(literal: limit)
            """
        ).all()
            .map { row in
                Queued(
                    id: try row.decode(column: "id", as: Int64.self),
                    user: UserID(try row.decode(column: "user_id", as: String.self)),
                    message: try message(from: try row.decode(column: "body", as: String.self)))
            }
    }

    private static func message(from text: String) throws -> OutgoingMessage {
        try queuedTexts.value(for: text) ?? EventCoding.decode(OutgoingMessage.self, from: text)
    }

    /// What the gateway keeps about people and copies into their data (/mydata): their state (consent, language,
    /// where the conversation is) and the messages for them, sent or not yet.
    static let personalTables = [
        PersonalTable("gateway_users", jsonColumns: ["state"]),
        PersonalTable("outgoing_messages", jsonColumns: ["body"]),
    ]

    /// Deletes the person's state, every message for them, sent or not, and the parts of a copy of their data
    /// still being put together (/forget).
    static func forget(_ user: UserID, in db: any SQLDatabase) async throws {
        try await PersonalRows.delete(user, from: personalTables + [PersonalTable(DataCopies.table)], in: db)
    }

    /// Records that the input named `id` was handled; false if it was handled before.
    static func claimInput(_ id: String, now: Date, in db: any SQLDatabase) async throws -> Bool {
        try await !db.insert(into: "received_inputs").columns("input_id", "received_at")
            .values(SQLBind(id), SQLBind(now)).ignoringConflicts(with: ["input_id"]).returning("input_id").all()
            .isEmpty
    }

    static func unsentCount(in db: any SQLDatabase) async throws -> Int {
        let row = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("outgoing_messages").where("sent_at", .is, SQLLiteral.null).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    private static let markSentRows = SQLTemplate(rows: { db, rows in
        db.update("outgoing_messages").set("sent_at", to: SQLTemplate.value)
            .where(SQLIdentifier("id"), .in, SQLTemplate.values(rows))
    })

    static func markSent(_ ids: [Int64], now: Date, in db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        let values: [any Encodable & Sendable] = [now] + ids.map { $0 }
        try await markSentRows.run(rows: ids.count, values, on: db)
    }
}
