import Foundation
import SQLKit
import SelfologyCore

/// Trait evolution's tables: `trait_history` and `evolution_announcements`. Each function covers all the traits
/// one profile update changed in a single statement: an update changes a dozen traits or more, and a statement
/// per trait made this the busiest consumer (a round trip each on PostgreSQL).
enum TraitHistoryStore {
    private static let recordRows = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "trait_history")
            .columns(
                "user_id", "trait_category", "trait_name", "old_value", "new_value", "confidence", "trigger",
                "timestamp")
        for _ in 0..<rows { insert.values(Array(repeating: SQLTemplate.value, count: 8)) }
        return insert
    })

    static func record(_ changes: [TraitChange], user: UserID, trigger: EventID, now: Date, in db: any SQLDatabase)
        async throws
    {
        guard !changes.isEmpty else { return }
        let values = changes.flatMap { change -> [any Encodable & Sendable] in
            [
                user.rawValue, change.trait.category.rawValue, change.trait.name, change.oldValue, change.newValue,
                change.confidence, trigger.rawValue, now,
            ]
        }
        try await recordRows.run(rows: changes.count, values, on: db)
    }

    /// One sub-select per trait, each read from the `trait_history_recent` index, so the cost does not grow with
    /// the person's history; its values are the user, the trait's category and name, and the limit.
    private static let recentRows = SQLTemplate(rows: { db, traits in
        db.raw(
            (0..<traits).map { index -> SQLQueryString in
                """
                SELECT * FROM (SELECT trait_category, trait_name, id, new_value FROM trait_history \
                WHERE user_id = \(SQLTemplate.value) AND trait_category = \(SQLTemplate.value) \
                AND trait_name = \(SQLTemplate.value) ORDER BY id DESC LIMIT \(SQLTemplate.value)) \
                AS \(ident: "t\(index)")
                """
            }.joined(separator: " UNION ALL "))
    })

    /// The most recent `limit` values of each trait, oldest first.
    static func recentValues(of traits: [TraitKey], user: UserID, limit: Int, in db: any SQLDatabase) async throws
        -> [TraitKey: [Double]]
    {
        guard !traits.isEmpty else { return [:] }
        let values = traits.flatMap { trait -> [any Encodable & Sendable] in
            [user.rawValue, trait.category.rawValue, trait.name, limit]
        }
        let rows = try await recentRows.all(rows: traits.count, values, on: db)
        var newestFirst: [TraitKey: [(id: Int64, value: Double)]] = [:]
        for row in rows {
            guard let category = TraitCategory(rawValue: try row.decode(column: "trait_category", as: String.self))
            else { continue }
            let trait = TraitKey(category, try row.decode(column: "trait_name", as: String.self))
            newestFirst[trait, default: []].append(
                (try row.decode(column: "id", as: Int64.self), try row.decode(column: "new_value", as: Double.self)))
        }
        return newestFirst.mapValues { $0.sorted { $0.id < $1.id }.map(\.value) }
    }

    private static let announcementsOfUser = SQLTemplate { db in
        db.select().columns("trait_category", "trait_name", "pattern").from("evolution_announcements")
            .where("user_id", .equal, SQLTemplate.value)
    }

    /// The pattern last announced for each of the person's traits.
    static func announcements(of user: UserID, in db: any SQLDatabase) async throws -> [TraitKey: EvolutionPattern] {
        let rows = try await announcementsOfUser.all(user.rawValue, on: db)
        var announced: [TraitKey: EvolutionPattern] = [:]
        for row in rows {
            guard let category = TraitCategory(rawValue: try row.decode(column: "trait_category", as: String.self)),
                let pattern = EvolutionPattern(rawValue: try row.decode(column: "pattern", as: String.self))
            else { continue }
            announced[TraitKey(category, try row.decode(column: "trait_name", as: String.self))] = pattern
        }
        return announced
    }

    private static let announceRows = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "evolution_announcements")
            .columns("user_id", "trait_category", "trait_name", "pattern")
        for _ in 0..<rows { insert.values(Array(repeating: SQLTemplate.value, count: 4)) }
        return insert.onConflict(with: ["user_id", "trait_category", "trait_name"]) {
            $0.set(excludedValueOf: "pattern")
        }
    })

    static func announce(
        _ patterns: [(trait: TraitKey, pattern: EvolutionPattern)], user: UserID, in db: any SQLDatabase
    ) async throws {
        guard !patterns.isEmpty else { return }
        let values = patterns.flatMap { trait, pattern -> [any Encodable & Sendable] in
            [user.rawValue, trait.category.rawValue, trait.name, pattern.rawValue]
        }
        try await announceRows.run(rows: patterns.count, values, on: db)
    }
}
