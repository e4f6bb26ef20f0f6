import Foundation
import SQLKit
import SelfologyCore

/// Profile storage's tables: `personality_profiles`, `unique_signatures`, `profile_patterns`.
enum ProfileStore {
    enum Failure: Error, CustomStringConvertible {
        case concurrentUpdate(UserID)
        var description: String {
            switch self {
            case .concurrentUpdate(let user): "profile of \(user) changed concurrently; the event will be retried"
            }
        }
    }

    /// A new version of a person's profile, encoded, and the version it replaces (nil: the first).
    struct Write: Sendable {
        let user: UserID
        let json: String
        let version: Int
        let expected: Int?
    }

    private static let insertFirst = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "personality_profiles")
            .columns("user_id", "profile_data", "version", "created_at", "updated_at")
        return insert.values(rows: rows, each: [SQLTemplate.value, SQLTemplate.json] + SQLTemplate.row(3))
            .ignoringConflicts(with: ["user_id"]).returning("user_id")
    })

    /// `UPDATE … FROM (VALUES …)`, which both stores understand; VALUES names its columns column1, column2, ….
    private static let updateExpected = SQLTemplate(rows: { db, rows in
        let row = SQLQueryString(
            "(\(SQLTemplate.value), \(SQLTemplate.json), \(SQLTemplate.value), \(SQLTemplate.value), \(SQLTemplate.value))"
        )
        return db.raw(
            """
            UPDATE personality_profiles SET profile_data = v.column2, version = v.column3, updated_at = v.column4 \
            FROM (VALUES \(SQLList(Array(repeating: row, count: rows)))) AS v \
            WHERE personality_profiles.user_id = v.column1 AND personality_profiles.version = v.column5 \
            RETURNING personality_profiles.user_id
            """)
    })

    /// Saves new versions, in two statements at most. An update only applies if the stored version is still the
    /// expected one (optimistic concurrency): a concurrent writer makes the whole save fail, and redelivery applies
    /// the evidence to the fresh row. The profiles come encoded, so the encoding can happen outside the transaction.
    static func save(_ writes: [Write], now: Date, in db: any SQLDatabase) async throws {
        let first = writes.filter { $0.expected == nil }
        if !first.isEmpty {
            let values = first.flatMap { write -> [any Encodable & Sendable] in
                [write.user.rawValue, write.json, write.version, now, now]
            }
            try check(try await insertFirst.all(rows: first.count, values, on: db), wrote: first)
        }
        let later = writes.filter { $0.expected != nil }
        if !later.isEmpty {
            let values = later.flatMap { write -> [any Encodable & Sendable] in
                [write.user.rawValue, write.json, write.version, now, write.expected]
            }
            try check(try await updateExpected.all(rows: later.count, values, on: db), wrote: later)
        }
    }

    /// Throws for the first write whose row the statement did not return.
    private static func check(_ rows: [any SQLRow], wrote writes: [Write]) throws {
        let written = Set(try rows.map { try $0.decode(column: "user_id", as: String.self) })
        if let refused = writes.first(where: { !written.contains($0.user.rawValue) }) {
            throw Failure.concurrentUpdate(refused.user)
        }
    }

    private static let upsertSignatures = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "unique_signatures")
            .columns("user_id", "thinking_style", "decision_pattern", "energy_rhythm", "updated_at")
        insert.values(rows: rows, each: SQLTemplate.row(5))
        return insert.onConflict(
            with: ["user_id"], replacing: ["thinking_style", "decision_pattern", "energy_rhythm", "updated_at"])
    })

    /// Saves these people's signatures in one statement.
    static func saveSignatures(_ signatures: [UserID: UniqueSignature], now: Date, in db: any SQLDatabase)
        async throws
    {
        guard !signatures.isEmpty else { return }
        let values = signatures.sorted { $0.key.rawValue < $1.key.rawValue }.flatMap {
            user, signature -> [any Encodable & Sendable] in
            [user.rawValue, signature.thinkingStyle, signature.decisionPattern, signature.energyRhythm, now]
        }
        try await upsertSignatures.run(rows: signatures.count, values, on: db)
    }

    private static let upsertPattern = SQLTemplate { db in
        db.insert(into: "profile_patterns")
            .columns("user_id", "trait_category", "trait_name", "pattern", "strength", "points", "detected_at")
            .values(SQLTemplate.row(7))
            .onConflict(
                with: ["user_id", "trait_category", "trait_name"],
                replacing: ["pattern", "strength", "points", "detected_at"])
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
