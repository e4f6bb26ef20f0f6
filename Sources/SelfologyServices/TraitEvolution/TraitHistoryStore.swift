import Foundation
import SQLKit
import SelfologyCore

/// Trait evolution's tables: `trait_history` and `evolution_announcements`. Each function covers all the traits
/// one profile update changed in a single statement: an update changes a dozen traits or more, and a statement
/// per trait made this the busiest consumer (a round trip each on PostgreSQL).
enum TraitHistoryStore {
    static func record(_ changes: [TraitChange], user: UserID, trigger: EventID, now: Date, in db: any SQLDatabase)
        async throws
    {
        guard !changes.isEmpty else { return }
        let insert = db.insert(into: "trait_history")
            .columns(
                "user_id", "trait_category", "trait_name", "old_value", "new_value", "confidence", "trigger",
                "timestamp")
        for change in changes {
            insert.values(
                SQLBind(user.rawValue), SQLBind(change.trait.category.rawValue), SQLBind(change.trait.name),
                SQLBind(change.oldValue), SQLBind(change.newValue), SQLBind(change.confidence),
                SQLBind(trigger.rawValue), SQLBind(now))
        }
        try await insert.run()
    }

    /// The most recent `limit` values of each trait, oldest first. One sub-select per trait, each read from the
    /// `trait_history_recent` index, so the cost does not grow with the person's history.
    static func recentValues(of traits: [TraitKey], user: UserID, limit: Int, in db: any SQLDatabase) async throws
        -> [TraitKey: [Double]]
    {
        guard !traits.isEmpty else { return [:] }
        let selects = traits.enumerated().map { index, trait -> SQLQueryString in
            """
            SELECT * FROM (SELECT trait_category, trait_name, id, new_value FROM trait_history \
            WHERE user_id = \(bind: user.rawValue) AND trait_category = \(bind: trait.category.rawValue) \
            AND trait_name = \(bind: trait.name) ORDER BY id DESC LIMIT \(literal: limit)) AS \(ident: "t\(index)")
            """
        }
        let rows = try await db.raw(selects.joined(separator: " UNION ALL ")).all()
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

    static func announce(
        _ patterns: [(trait: TraitKey, pattern: EvolutionPattern)], user: UserID, in db: any SQLDatabase
    )
        async throws
    {
        guard !patterns.isEmpty else { return }
        let insert = db.insert(into: "evolution_announcements")
            .columns("user_id", "trait_category", "trait_name", "pattern")
        for (trait, pattern) in patterns {
            insert.values(
                SQLBind(user.rawValue), SQLBind(trait.category.rawValue), SQLBind(trait.name),
                SQLBind(pattern.rawValue))
        }
        try await insert.onConflict(with: ["user_id", "trait_category", "trait_name"]) {
            $0.set(excludedValueOf: "pattern")
        }.run()
    }
}
