import Foundation
import SQLKit
import SelfologyCore

/// Trait evolution's tables: `trait_history` and `evolution_announcements`.
enum TraitHistoryStore {
    static func record(_ change: TraitChange, user: UserID, trigger: EventID, now: Date, in db: any SQLDatabase)
        async throws
    {
        try await db.insert(into: "trait_history")
            .columns(
                "user_id", "trait_category", "trait_name", "old_value", "new_value", "confidence", "trigger",
                "timestamp"
            )
            .values(
                SQLBind(user.rawValue), SQLBind(change.trait.category.rawValue), SQLBind(change.trait.name),
                SQLBind(change.oldValue), SQLBind(change.newValue), SQLBind(change.confidence),
                SQLBind(trigger.rawValue), SQLBind(now)
            )
            .run()
    }

    /// The most recent values of a trait, oldest first.
    static func recentValues(of trait: TraitKey, user: UserID, limit: Int, in db: any SQLDatabase) async throws
        -> [Double]
    {
        try await db.select().column("new_value").from("trait_history")
            .where("user_id", .equal, user.rawValue)
            .where("trait_category", .equal, trait.category.rawValue)
            .where("trait_name", .equal, trait.name)
            .orderBy("id", .descending).limit(limit).all()
            .map { try $0.decode(column: "new_value", as: Double.self) }
            .reversed()
    }

    static func lastAnnounced(_ trait: TraitKey, user: UserID, in db: any SQLDatabase) async throws -> EvolutionPattern?
    {
        try await db.select().column("pattern").from("evolution_announcements")
            .where("user_id", .equal, user.rawValue)
            .where("trait_category", .equal, trait.category.rawValue)
            .where("trait_name", .equal, trait.name)
            .first()
            .flatMap { EvolutionPattern(rawValue: try $0.decode(column: "pattern", as: String.self)) }
    }

    static func announce(_ pattern: EvolutionPattern, for trait: TraitKey, user: UserID, in db: any SQLDatabase)
        async throws
    {
        try await db.insert(into: "evolution_announcements")
            .columns("user_id", "trait_category", "trait_name", "pattern")
            .values(
                SQLBind(user.rawValue), SQLBind(trait.category.rawValue), SQLBind(trait.name), SQLBind(pattern.rawValue)
            )
            .onConflict(with: ["user_id", "trait_category", "trait_name"]) { $0.set(excludedValueOf: "pattern") }
            .run()
    }
}
