import Foundation
import SQLKit
import SelfologyCore

/// Trait evolution's tables: `trait_history` and `evolution_announcements`. Each function covers all the traits
/// a batch of profile updates changed in a single statement: an update changes a dozen traits or more, and a
/// statement per trait made this the busiest consumer (a round trip each on PostgreSQL).
enum TraitHistoryStore {
    private static let recordRows = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "trait_history")
            .columns(
                "user_id", "trait_category", "trait_name", "old_value", "new_value", "confidence", "trigger",
                "timestamp")
        insert.values(rows: rows, each: SQLTemplate.row(8))
        return insert
    })

    /// A trait's change as history records it: whose, and which update caused it.
    struct Point {
        let user: UserID
        let change: TraitChange
        let trigger: EventID
        let at: Date
    }

    static func record(_ points: [Point], in db: any SQLDatabase) async throws {
        guard !points.isEmpty else { return }
        let values = points.flatMap { point -> [any Encodable & Sendable] in
            let change = point.change
            return [
                point.user.rawValue, change.trait.category.rawValue, change.trait.name, change.oldValue,
                change.newValue, change.confidence, point.trigger.rawValue, point.at,
            ]
        }
        try await recordRows.run(rows: points.count, values, on: db)
    }

    /// One sub-select per trait, each read from the `trait_history_recent` index, so the cost does not grow with
    /// the person's history; its values are the user, the trait's category and name, and the limit.
    private static let recentRows = SQLTemplate(rows: { db, traits in
        db.raw(
            (0..<traits).map { index -> SQLQueryString in
                """
                SELECT * FROM (SELECT user_id, trait_category, trait_name, id, new_value FROM trait_history \
                WHERE user_id = \(SQLTemplate.value) AND trait_category = \(SQLTemplate.value) \
                AND trait_name = \(SQLTemplate.value) ORDER BY id DESC LIMIT \(SQLTemplate.value)) \
                AS \(ident: "t\(index)")
                """
            }.joined(separator: " UNION ALL "))
    })

    /// The most recent `limit` values of each of these people's traits, oldest first, in one statement.
    static func recentValues(of traits: [(user: UserID, trait: TraitKey)], limit: Int, in db: any SQLDatabase)
        async throws -> [UserID: [TraitKey: [Double]]]
    {
        guard !traits.isEmpty else { return [:] }
        let values = traits.flatMap { user, trait -> [any Encodable & Sendable] in
            [user.rawValue, trait.category.rawValue, trait.name, limit]
        }
        let rows = try await recentRows.all(rows: traits.count, values, on: db)
        var newestFirst: [UserID: [TraitKey: [(id: Int64, value: Double)]]] = [:]
        for row in rows {
            guard let category = TraitCategory(rawValue: try row.decode(column: "trait_category", as: String.self))
            else { continue }
            let user = UserID(try row.decode(column: "user_id", as: String.self))
            let trait = TraitKey(category, try row.decode(column: "trait_name", as: String.self))
            newestFirst[user, default: [:]][trait, default: []].append(
                (try row.decode(column: "id", as: Int64.self), try row.decode(column: "new_value", as: Double.self)))
        }
        return newestFirst.mapValues { traits in traits.mapValues { $0.sorted { $0.id < $1.id }.map(\.value) } }
    }

    private static let announcementsOfUsers = SQLTemplate(rows: { db, rows in
        db.select().columns("user_id", "trait_category", "trait_name", "pattern").from("evolution_announcements")
            .where(SQLIdentifier("user_id"), .in, SQLTemplate.values(rows))
    })

    /// The pattern last announced for each of these people's traits, in one statement.
    static func announcements(of users: Set<UserID>, in db: any SQLDatabase) async throws
        -> [UserID: [TraitKey: EvolutionPattern]]
    {
        guard !users.isEmpty else { return [:] }
        let rows = try await announcementsOfUsers.all(rows: users.count, users.map(\.rawValue), on: db)
        var announced: [UserID: [TraitKey: EvolutionPattern]] = [:]
        for row in rows {
            guard let category = TraitCategory(rawValue: try row.decode(column: "trait_category", as: String.self)),
                let pattern = EvolutionPattern(rawValue: try row.decode(column: "pattern", as: String.self))
            else { continue }
            let user = UserID(try row.decode(column: "user_id", as: String.self))
            announced[user, default: [:]][TraitKey(category, try row.decode(column: "trait_name", as: String.self))] =
                pattern
        }
        return announced
    }

    private static let announceRows = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "evolution_announcements")
            .columns("user_id", "trait_category", "trait_name", "pattern")
        insert.values(rows: rows, each: SQLTemplate.row(4))
        return insert.onConflict(with: ["user_id", "trait_category", "trait_name"], replacing: ["pattern"])
    })

    /// Records the patterns announced, each person's and trait's latest, in one statement.
    static func announce(_ patterns: [UserID: [TraitKey: EvolutionPattern]], in db: any SQLDatabase) async throws {
        let rows = patterns.sorted { $0.key.rawValue < $1.key.rawValue }.flatMap { user, traits in
            traits.sorted { ($0.key.category.rawValue, $0.key.name) < ($1.key.category.rawValue, $1.key.name) }
                .map { (user, $0.key, $0.value) }
        }
        guard !rows.isEmpty else { return }
        let values = rows.flatMap { user, trait, pattern -> [any Encodable & Sendable] in
            [user.rawValue, trait.category.rawValue, trait.name, pattern.rawValue]
        }
        try await announceRows.run(rows: rows.count, values, on: db)
    }
}
