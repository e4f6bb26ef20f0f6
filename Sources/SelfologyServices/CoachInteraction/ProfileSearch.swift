import Logging
import SelfologyCore

/// Similar-profile search for the coach: the external index (Qdrant) when there is one, and the store's own
/// vectors when there is not or it fails (DB-only mode), so the coach never waits on a vector database that is
/// down.
public struct ProfileSearch: Sendable {
    let database: any Database
    let external: (any ProfileVectorIndex)?
    let logger: Logger

    public init(database: any Database, external: (any ProfileVectorIndex)?, logger: Logger) {
        self.database = database
        self.external = external
        self.logger = logger
    }

    public func similar(to vector: ProfileVector, limit: Int) async -> [SimilarProfile] {
        if let external {
            do {
                return try await external.nearest(
                    to: vector.vector, model: vector.model, limit: limit, excluding: vector.userID)
            } catch {
                logger.warning("vector index unavailable, searching the store", metadata: ["error": "\(error)"])
            }
        }
        do {
            return try await database.read { db in
                try await SQLVectorIndex.nearest(
                    to: vector.vector, model: vector.model, limit: limit, excluding: vector.userID, in: db)
            }
        } catch {
            logger.warning("profile search failed", metadata: ["error": "\(error)"])
            return []
        }
    }
}
