import Foundation
import SQLKit
import SelfologyCore

/// `profile_vectors` as a vector index: the embedded runtime's index, and the distributed runtime's source of
/// truth and DB-only fallback. Search is an exact linear scan of the vectors made by the same model, which is
/// fine for thousands of people (2 KiB each); beyond that, Qdrant is the index to use.
public struct SQLVectorIndex: ProfileVectorIndex {
    let database: any Database

    public init(database: any Database) { self.database = database }

    public func upsert(_ vector: ProfileVector) async throws {
        try await database.transaction { db in try await Self.upsert(vector, in: db) }
    }

    public func nearest(to vector: [Float], model: String, limit: Int, excluding user: UserID) async throws
        -> [SimilarProfile]
    {
        try await database.read { db in
            try await Self.nearest(to: vector, model: model, limit: limit, excluding: user, in: db)
        }
    }

    public func remove(_ user: UserID) async throws {
        try await database.transaction { db in
            try await db.delete(from: "profile_vectors").where("user_id", .equal, user.rawValue).run()
        }
    }

    static func upsert(_ vector: ProfileVector, in db: any SQLDatabase) async throws {
        let bytes = VectorBytes.encode(vector.vector)
        try await db.insert(into: "profile_vectors")
            .columns("user_id", "model", "dimensions", "vector", "summary", "created_at")
            .values(
                SQLBind(vector.userID.rawValue), SQLBind(vector.model), SQLBind(vector.vector.count), SQLBind(bytes),
                SQLBind(vector.summary), SQLBind(vector.createdAt)
            )
            .onConflict(with: ["user_id"]) { update in
                update.set("model", to: vector.model).set("dimensions", to: vector.vector.count)
                    .set("vector", to: bytes).set("summary", to: vector.summary).set("created_at", to: vector.createdAt)
            }
            .run()
    }

    /// The person's own stored vector, with the model and summary it was made from.
    public static func vector(of user: UserID, in db: any SQLDatabase) async throws -> ProfileVector? {
        guard
            let row = try await db.select().columns("model", "vector", "summary", "created_at").from("profile_vectors")
                .where("user_id", .equal, user.rawValue).first()
        else { return nil }
        return ProfileVector(
            userID: user, vector: VectorBytes.decode(try row.decode(column: "vector", as: Data.self)),
            model: try row.decode(column: "model", as: String.self),
            summary: try row.decode(column: "summary", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Date.self))
    }

    static func nearest(
        to vector: [Float], model: String, limit: Int, excluding user: UserID, in db: any SQLDatabase
    ) async throws -> [SimilarProfile] {
        let rows = try await db.select().columns("user_id", "vector").from("profile_vectors")
            .where("model", .equal, model).where("user_id", .notEqual, user.rawValue).all()
        let scored = try rows.map { row in
            SimilarProfile(
                userID: UserID(rawValue: try row.decode(column: "user_id", as: String.self)),
                score: VectorMath.cosine(vector, VectorBytes.decode(try row.decode(column: "vector", as: Data.self))))
        }
        return Array(scored.sorted { ($0.score, $1.userID.rawValue) > ($1.score, $0.userID.rawValue) }.prefix(limit))
    }
}

/// Float32 vectors as little-endian bytes, independent of the machine's byte order.
enum VectorBytes {
    static func encode(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func decode(_ data: Data) -> [Float] {
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count - bytes.count % 4, by: 4).map { start in
            let bits =
                UInt32(bytes[start]) | UInt32(bytes[start + 1]) << 8 | UInt32(bytes[start + 2]) << 16
                | UInt32(bytes[start + 3]) << 24
            return Float(bitPattern: bits)
        }
    }
}
