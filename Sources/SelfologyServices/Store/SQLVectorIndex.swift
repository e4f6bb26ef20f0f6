import Foundation
import SQLKit
import SelfologyCore

/// A table of profile vectors as a vector index. Profile storage keeps `profile_vectors` (its own, the source of
/// truth); the coach keeps `coach_vectors`, its copy from `profile.vector.updated` events, and searches it when
/// there is no external index or it is down (DB-only mode). Search is an exact linear scan of the vectors made by
/// the same model, which is fine for thousands of people (2 KiB each); beyond that, Qdrant is the index to use.
public struct SQLVectorIndex: ProfileVectorIndex {
    public static let profileStorage = "profile_vectors"
    public static let coach = "coach_vectors"

    let database: any Database
    let table: String

    public init(database: any Database, table: String) {
        self.database = database
        self.table = table
    }

    public func upsert(_ vector: ProfileVector) async throws {
        let table = self.table
        try await database.transaction { db in try await Self.upsert(vector, into: table, in: db) }
    }

    public func nearest(to vector: [Float], model: String, limit: Int, excluding user: UserID) async throws
        -> [SimilarProfile]
    {
        let table = self.table
        return try await database.read { db in
            try await Self.nearest(to: vector, model: model, limit: limit, excluding: user, in: table, db: db)
        }
    }

    public func remove(_ user: UserID) async throws {
        let table = self.table
        try await database.transaction { db in
            try await db.delete(from: table).where("user_id", .equal, user.rawValue).run()
        }
    }

    /// The two statements run for every profile update, per table.
    private struct Statements: Sendable {
        static let known = [profileStorage: Statements(table: profileStorage), coach: Statements(table: coach)]
        static func of(_ table: String) -> Statements { known[table] ?? Statements(table: table) }

        let upsert: SQLTemplate
        let vectorOfUser: SQLTemplate

        init(table: String) {
            upsert = SQLTemplate(rows: { db, rows in
                let insert = db.insert(into: table)
                    .columns("user_id", "model", "dimensions", "vector", "summary", "created_at")
                insert.values(rows: rows, each: SQLTemplate.row(6))
                return insert.onConflict(
                    with: ["user_id"], replacing: ["model", "dimensions", "vector", "summary", "created_at"])
            })
            vectorOfUser = SQLTemplate { db in
                db.select().columns("model", "vector", "summary", "created_at").from(table)
                    .where("user_id", .equal, SQLTemplate.value).limit(1)
            }
        }
    }

    static func upsert(_ vector: ProfileVector, into table: String, in db: any SQLDatabase) async throws {
        try await upsert([vector], into: table, in: db)
    }

    /// Writes these vectors in one statement; of a person's several, the last stands (one statement may not
    /// change a row twice).
    static func upsert(_ vectors: [ProfileVector], into table: String, in db: any SQLDatabase) async throws {
        var latest: [UserID: ProfileVector] = [:]
        for vector in vectors { latest[vector.userID] = vector }
        guard !latest.isEmpty else { return }
        let values = latest.values.sorted { $0.userID.rawValue < $1.userID.rawValue }.flatMap {
            vector -> [any Encodable & Sendable] in
            [
                vector.userID.rawValue, vector.model, vector.vector.count, VectorBytes.encode(vector.vector),
                vector.summary, vector.createdAt,
            ]
        }
        try await Statements.of(table).upsert.run(rows: latest.count, values, on: db)
    }

    /// The person's stored vector, with the model and summary it was made from.
    public static func vector(of user: UserID, in table: String, db: any SQLDatabase) async throws -> ProfileVector? {
        guard let row = try await Statements.of(table).vectorOfUser.first(user.rawValue, on: db) else { return nil }
        return try vector(of: user, from: row)
    }

    /// The person's vector from a row with a table's `vector`, `model`, `summary` and `created_at`.
    static func vector(of user: UserID, from row: any SQLRow) throws -> ProfileVector {
        ProfileVector(
            userID: user, vector: VectorBytes.decode(try row.decode(column: "vector", as: Data.self)),
            model: try row.decode(column: "model", as: String.self),
            summary: try row.decode(column: "summary", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Date.self))
    }

    static func nearest(
        to vector: [Float], model: String, limit: Int, excluding user: UserID, in table: String, db: any SQLDatabase
    ) async throws -> [SimilarProfile] {
        let rows = try await db.select().columns("user_id", "vector").from(table)
            .where("model", .equal, model).where("user_id", .notEqual, user.rawValue).all()
        let scored = try rows.map { row in
            SimilarProfile(
                userID: UserID(rawValue: try row.decode(column: "user_id", as: String.self)),
                score: VectorMath.cosine(vector, VectorBytes.decode(try row.decode(column: "vector", as: Data.self))))
        }
        return Array(scored.sorted { ($0.score, $1.userID.rawValue) > ($1.score, $0.userID.rawValue) }.prefix(limit))
    }
}
