import Foundation
import SQLKit
import SelfologyCore

/// The stored vector a profile update is judged against, unless the person was forgotten since.
enum StoredVector {
    case vector(ProfileVector?)
    case forgotten
}

extension ProfileVectorHandler {
    /// The person's stored vector and whether the group has forgotten them since `trace` began, in one
    /// statement: the look at the erasures rides the read every update makes anyway.
    static func storedVector(
        of user: UserID, unlessForgottenSince trace: String, group: ConsumerGroup, in db: any SQLDatabase
    ) async throws -> StoredVector {
        let values: [any Encodable & Sendable] = [group.rawValue, user.rawValue, trace, user.rawValue]
        let row = try await storedVectorOfUser.all(rows: 1, values, on: db).first
        guard try row?.decode(column: "forgotten", as: Int?.self) == nil else { return .forgotten }
        // The LEFT JOIN gives NULLs when the person has no vector.
        guard let row, try row.decode(column: "vector", as: Data?.self) != nil else { return .vector(nil) }
        return .vector(try SQLVectorIndex.vector(of: user, from: row))
    }

    /// One row always: the erasure look, and the vector's columns (NULL when there is none).
    private static let storedVectorOfUser = SQLTemplate { db in
        let value = SQLTemplate.value
        return db.raw(
            """
            SELECT (SELECT 1 FROM \(ident: PersonErasure.table) WHERE consumer = \(value) AND user_id = \(value) \
            AND trace_id\(unsafeRaw: PersonErasure.byCharacters(in: db)) > \(value)) AS forgotten, \
            stored.model, stored.vector, stored.summary, stored.created_at \
            FROM (SELECT 1 AS one) AS one LEFT JOIN \(ident: SQLVectorIndex.profileStorage) AS stored \
            ON stored.user_id = \(value)
            """)
    }
}
