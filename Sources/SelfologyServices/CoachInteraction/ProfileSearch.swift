import Logging
import SelfologyCore

/// Similar-profile search for the coach: the external index (Qdrant) when there is one, and the coach's own copy
/// of the vectors when there is not or it fails (DB-only mode), so the coach never waits on a vector database
/// that is down.
public struct ProfileSearch: Sendable {
    let external: (any ProfileVectorIndex)?
    let own: SQLVectorIndex
    let logger: Logger

    public init(database: any Database, external: (any ProfileVectorIndex)?, logger: Logger) {
        self.external = external
        self.own = SQLVectorIndex(database: database, table: SQLVectorIndex.coach)
        self.logger = logger
    }

    public func similar(to vector: ProfileVector, limit: Int) async -> [SimilarProfile] {
        for index in [external, own].compactMap({ $0 }) {
            do {
                return try await index.nearest(
                    to: vector.vector, model: vector.model, limit: limit, excluding: vector.userID)
            } catch {
                logger.warning("profile search failed", metadata: ["index": "\(type(of: index))", "error": "\(error)"])
            }
        }
        return []
    }
}
