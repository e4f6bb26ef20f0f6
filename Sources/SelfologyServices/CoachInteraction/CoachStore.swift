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

    private static let upsertProfiles = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "coach_profiles").columns("user_id", "profile", "version")
        insert.values(rows: rows, each: [SQLTemplate.value, SQLTemplate.json, SQLTemplate.value])
        return insert.onConflict(with: ["user_id"], replacing: ["profile", "version"])
    })

    /// Writes these people's copies (encoded profile, version) in one statement.
    static func saveProfiles(_ profiles: [UserID: (json: String, version: Int)], in db: any SQLDatabase) async throws {
        guard !profiles.isEmpty else { return }
        let values = profiles.sorted { $0.key.rawValue < $1.key.rawValue }.flatMap {
            user, profile -> [any Encodable & Sendable] in [user.rawValue, profile.json, profile.version]
        }
        try await upsertProfiles.run(rows: profiles.count, values, on: db)
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

    struct Insight {
        let user: UserID
        let type: String
        let content: String
        let at: Date
    }

    private static let insertInsights = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "insights").columns("user_id", "insight_type", "content", "created_at")
        insert.values(rows: rows, each: SQLTemplate.row(4))
        return insert
    })

    /// Adds insights in one statement, in this order.
    static func addInsights(_ insights: [Insight], in db: any SQLDatabase) async throws {
        guard !insights.isEmpty else { return }
        let values = insights.flatMap { insight -> [any Encodable & Sendable] in
            [insight.user.rawValue, insight.type, insight.content, insight.at]
        }
        try await insertInsights.run(rows: insights.count, values, on: db)
    }

    static func recentInsights(of user: UserID, limit: Int, in db: any SQLDatabase) async throws -> [String] {
        try await db.select().column("content").from("insights")
            .where("user_id", .equal, user.rawValue).orderBy("id", .descending).limit(limit).all()
            .map { try $0.decode(column: "content", as: String.self) }
    }
}
