import Foundation
import SQLKit
import SelfologyCore

/// The gateway's own tables: consented people's conversation state and messages waiting for delivery.
enum GatewayStore {
    private static let stateOfUser = SQLTemplate { db in
        db.select().column(SQLJSONColumn(name: "state")).from("gateway_users")
            .where("user_id", .equal, SQLTemplate.value).limit(1)
    }

    static func state(of user: UserID, in db: any SQLDatabase) async throws -> ChatState? {
        guard let row = try await stateOfUser.first(user.rawValue, on: db) else { return nil }
        return try EventCoding.decode(ChatState.self, from: try row.decode(column: "state", as: String.self))
    }

    private static let saveState = SQLTemplate { db in
        db.insert(into: "gateway_users").columns("user_id", "state", "updated_at")
            .values(SQLTemplate.value, SQLTemplate.json, SQLTemplate.value)
            .onConflict(with: ["user_id"]) { $0.set(excludedValueOf: "state").set(excludedValueOf: "updated_at") }
    }

    static func save(_ state: ChatState, of user: UserID, now: Date, in db: any SQLDatabase) async throws {
        try await saveState.run(user.rawValue, try EventCoding.encodeToString(state), now, on: db)
    }

    private static let enqueueRows = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "outgoing_messages").columns("user_id", "body", "created_at")
        for _ in 0..<rows { insert.values(SQLTemplate.value, SQLTemplate.json, SQLTemplate.value) }
        return insert
    })

    /// Queued messages by the text they were stored as: the dispatcher reads back, in this process and soon,
    /// what the gateway has just queued, and decoding it cost 2% of the embedded runtime's CPU. A message's text
    /// decodes to exactly the message (no dates in it), so a hit is what a decode would give.
    private static let queuedTexts = BoundedMemo<String, OutgoingMessage>(capacity: 4096)

    private static func text(of message: OutgoingMessage) throws -> String {
        let text = try EventCoding.encodeToString(message)
        queuedTexts.remember(message, for: text)
        return text
    }

    static func enqueue(_ messages: [OutgoingMessage], for user: UserID, now: Date, in db: any SQLDatabase)
        async throws
    {
        guard !messages.isEmpty else { return }
        let values = try messages.flatMap { message -> [any Encodable & Sendable] in
            [user.rawValue, try text(of: message), now]
        }
        try await enqueueRows.run(rows: messages.count, values, on: db)
    }

    struct Queued: Sendable {
        let id: Int64
        let user: UserID
        let message: OutgoingMessage
    }

    static func unsent(limit: Int, in db: any SQLDatabase) async throws -> [Queued] {
        try await db.select().columns("id", "user_id").column(SQLJSONColumn(name: "body")).from("outgoing_messages")
            .where("sent_at", .is, SQLLiteral.null).orderBy("id").limit(limit).all()
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

    static func markSent(_ ids: [Int64], now: Date, in db: any SQLDatabase) async throws {
        try await db.update("outgoing_messages").set("sent_at", to: now).where("id", .in, ids).run()
    }
}
