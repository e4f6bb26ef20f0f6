import Foundation
import SQLKit
import SelfologyCore

/// Profile storage's tables: `personality_profiles`, `unique_signatures`, `profile_patterns`.
enum ProfileStore {
    struct Stored: Sendable {
        let profile: PersonalityProfile
        let version: Int
    }

    enum Failure: Error, CustomStringConvertible {
        case concurrentUpdate(UserID)
        var description: String {
            switch self {
            case .concurrentUpdate(let user): "profile of \(user) changed concurrently; the event will be retried"
            }
        }
    }

    static func load(_ user: UserID, memo: ProfileMemo, context: HandlerContext) async throws -> Stored? {
        try await memo.load(user, table: "personality_profiles", column: "profile_data", context: context).map {
            Stored(profile: $0.profile, version: $0.version)
        }
    }

    /// Saves a new version. The update only applies if the stored version is still `expected` (optimistic
    /// concurrency): a concurrent writer makes it fail, and redelivery applies the evidence to the fresh row.
    /// The profile comes encoded, so the encoding can happen outside the transaction.
    static func save(
        _ profileJSON: String, user: UserID, expected: Int?, now: Date, in db: any SQLDatabase
    ) async throws -> Int {
        let json = SQLJSON(text: profileJSON)
        guard let expected else {
            let inserted = try await db.insert(into: "personality_profiles")
                .columns("user_id", "profile_data", "version", "created_at", "updated_at")
                .values(SQLBind(user.rawValue), json, SQLBind(1), SQLBind(now), SQLBind(now))
                .ignoringConflicts(with: ["user_id"]).returning("id").all()
            guard !inserted.isEmpty else { throw Failure.concurrentUpdate(user) }
            return 1
        }
        let updated = try await db.update("personality_profiles")
            .set("profile_data", to: json).set("version", to: expected + 1).set("updated_at", to: now)
            .where("user_id", .equal, user.rawValue).where("version", .equal, expected)
            .returning("version").all()
        guard !updated.isEmpty else { throw Failure.concurrentUpdate(user) }
        return expected + 1
    }

    static func saveSignature(_ signature: UniqueSignature, user: UserID, now: Date, in db: any SQLDatabase)
        async throws
    {
        try await db.insert(into: "unique_signatures")
            .columns("user_id", "thinking_style", "decision_pattern", "energy_rhythm", "updated_at")
            .values(
                SQLBind(user.rawValue), SQLBind(signature.thinkingStyle), SQLBind(signature.decisionPattern),
                SQLBind(signature.energyRhythm), SQLBind(now)
            )
            .onConflict(with: ["user_id"]) {
                $0.set(excludedValueOf: "thinking_style").set(excludedValueOf: "decision_pattern")
                    .set(excludedValueOf: "energy_rhythm").set(excludedValueOf: "updated_at")
            }
            .run()
    }

    static func savePattern(_ detected: TraitEvolutionDetected, user: UserID, now: Date, in db: any SQLDatabase)
        async throws
    {
        try await db.insert(into: "profile_patterns")
            .columns("user_id", "trait_category", "trait_name", "pattern", "strength", "points", "detected_at")
            .values(
                SQLBind(user.rawValue), SQLBind(detected.trait.category.rawValue), SQLBind(detected.trait.name),
                SQLBind(detected.pattern.rawValue), SQLBind(detected.strength), SQLBind(detected.window), SQLBind(now)
            )
            .onConflict(with: ["user_id", "trait_category", "trait_name"]) {
                $0.set(excludedValueOf: "pattern").set(excludedValueOf: "strength")
                    .set(excludedValueOf: "points").set(excludedValueOf: "detected_at")
            }
            .run()
    }

    static func patterns(of user: UserID, in db: any SQLDatabase) async throws -> [TraitPatternSummary] {
        try await db.select().columns("trait_category", "trait_name", "pattern", "strength", "points")
            .from("profile_patterns").where("user_id", .equal, user.rawValue)
            .orderBy("trait_category").orderBy("trait_name").all()
            .compactMap { row in
                guard let category = TraitCategory(rawValue: try row.decode(column: "trait_category", as: String.self)),
                    let pattern = EvolutionPattern(rawValue: try row.decode(column: "pattern", as: String.self))
                else { return nil }
                return TraitPatternSummary(
                    trait: TraitKey(category, try row.decode(column: "trait_name", as: String.self)),
                    pattern: pattern, strength: try row.decode(column: "strength", as: Double.self),
                    points: try row.decode(column: "points", as: Int.self))
            }
    }
}
