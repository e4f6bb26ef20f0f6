import Foundation
import SQLKit
import SelfologyCore

/// The coach's tables: its copy of each profile, `conversations` and `insights`.
enum CoachStore {
    static func profile(of user: UserID, memo: ProfileMemo, context: HandlerContext) async throws
        -> PersonalityProfile?
    {
        try await memo.load(user, from: .coach, context: context)?.profile
    }

    static func version(of user: UserID, in db: any SQLDatabase) async throws -> Int? {
        try await ProfileTable.coach.version.first(user.rawValue, on: db)?.decode(column: "version", as: Int.self)
    }

    private static let upsertProfile = SQLTemplate { db in
        db.insert(into: "coach_profiles").columns("user_id", "profile", "version")
            .values(SQLTemplate.value, SQLTemplate.json, SQLTemplate.value)
            .onConflict(with: ["user_id"]) { $0.set(excludedValueOf: "profile").set(excludedValueOf: "version") }
    }

    static func saveProfile(json profileJSON: String, version: Int, user: UserID, in db: any SQLDatabase)
        async throws
    {
        try await upsertProfile.run(user.rawValue, profileJSON, version, on: db)
    }

    static func append(_ turns: [ConversationTurn], user: UserID, now: Date, in db: any SQLDatabase) async throws {
        let insert = db.insert(into: "conversations").columns("user_id", "role", "content", "created_at")
        for turn in turns {
            insert.values(SQLBind(user.rawValue), SQLBind(turn.role.rawValue), SQLBind(turn.text), SQLBind(now))
        }
        try await insert.run()
    }

    /// The last `limit` turns, oldest first.
    static func recentTurns(of user: UserID, limit: Int, in db: any SQLDatabase) async throws -> [ConversationTurn] {
        try await db.select().columns("role", "content").from("conversations")
            .where("user_id", .equal, user.rawValue).orderBy("id", .descending).limit(limit).all()
            .compactMap { row in
                guard let role = ConversationTurn.Role(rawValue: try row.decode(column: "role", as: String.self)) else {
                    return nil
                }
                return ConversationTurn(role: role, text: try row.decode(column: "content", as: String.self))
            }
            .reversed()
    }

    static func addInsights(_ items: [(type: String, content: String)], user: UserID, now: Date, in db: any SQLDatabase)
        async throws
    {
        guard !items.isEmpty else { return }
        let insert = db.insert(into: "insights").columns("user_id", "insight_type", "content", "created_at")
        for item in items {
            insert.values(SQLBind(user.rawValue), SQLBind(item.type), SQLBind(item.content), SQLBind(now))
        }
        try await insert.run()
    }

    static func recentInsights(of user: UserID, limit: Int, in db: any SQLDatabase) async throws -> [String] {
        try await db.select().column("content").from("insights")
            .where("user_id", .equal, user.rawValue).orderBy("id", .descending).limit(limit).all()
            .map { try $0.decode(column: "content", as: String.self) }
    }
}
