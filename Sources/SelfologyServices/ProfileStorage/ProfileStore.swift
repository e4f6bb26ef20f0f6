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
        try await memo.load(user, from: .profileStorage, context: context).map {
            Stored(profile: $0.profile, version: $0.version)
        }
    }

    /// Saves a new version. The update only applies if the stored version is still `expected` (optimistic
    /// concurrency): a concurrent writer makes it fail, and redelivery applies the evidence to the fresh row.
    /// The profile comes encoded, so the encoding can happen outside the transaction.
    private static let insertFirst = SQLTemplate { db in
        db.insert(into: "personality_profiles")
            .columns("user_id", "profile_data", "version", "created_at", "updated_at")
            .values(SQLTemplate.value, SQLTemplate.json, SQLTemplate.value, SQLTemplate.value, SQLTemplate.value)
            .ignoringConflicts(with: ["user_id"]).returning("id")
    }

    private static let updateExpected = SQLTemplate { db in
        db.update("personality_profiles")
            .set("profile_data", to: SQLTemplate.json).set("version", to: SQLTemplate.value)
            .set("updated_at", to: SQLTemplate.value)
            .where("user_id", .equal, SQLTemplate.value).where("version", .equal, SQLTemplate.value)
            .returning("version")
    }

    static func save(
        _ profileJSON: String, user: UserID, expected: Int?, now: Date, in db: any SQLDatabase
    ) async throws -> Int {
        guard let expected else {
            let inserted = try await insertFirst.all(user.rawValue, profileJSON, 1, now, now, on: db)
            guard !inserted.isEmpty else { throw Failure.concurrentUpdate(user) }
            return 1
        }
        let updated = try await updateExpected.all(profileJSON, expected + 1, now, user.rawValue, expected, on: db)
        guard !updated.isEmpty else { throw Failure.concurrentUpdate(user) }
        return expected + 1
    }

    private static let upsertSignature = SQLTemplate { db in
        db.insert(into: "unique_signatures")
            .columns("user_id", "thinking_style", "decision_pattern", "energy_rhythm", "updated_at")
            .values(Array(repeating: SQLTemplate.value, count: 5))
            .onConflict(with: ["user_id"]) {
                $0.set(excludedValueOf: "thinking_style").set(excludedValueOf: "decision_pattern")
                    .set(excludedValueOf: "energy_rhythm").set(excludedValueOf: "updated_at")
            }
    }

    static func saveSignature(_ signature: UniqueSignature, user: UserID, now: Date, in db: any SQLDatabase)
        async throws
    {
        try await upsertSignature.run(
            user.rawValue, signature.thinkingStyle, signature.decisionPattern, signature.energyRhythm, now, on: db)
    }

    private static let upsertPattern = SQLTemplate { db in
        db.insert(into: "profile_patterns")
            .columns("user_id", "trait_category", "trait_name", "pattern", "strength", "points", "detected_at")
            .values(Array(repeating: SQLTemplate.value, count: 7))
            .onConflict(with: ["user_id", "trait_category", "trait_name"]) {
                $0.set(excludedValueOf: "pattern").set(excludedValueOf: "strength")
                    .set(excludedValueOf: "points").set(excludedValueOf: "detected_at")
            }
    }

    static func savePattern(_ detected: TraitEvolutionDetected, user: UserID, now: Date, in db: any SQLDatabase)
        async throws
    {
        try await upsertPattern.run(
            user.rawValue, detected.trait.category.rawValue, detected.trait.name, detected.pattern.rawValue,
            detected.strength, detected.window, now, on: db)
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
