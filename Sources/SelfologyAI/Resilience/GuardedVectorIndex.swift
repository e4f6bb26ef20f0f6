import SelfologyCore
import SelfologyResilience
import SelfologyServices
import Synchronization

/// An external vector index (Qdrant) behind a circuit breaker: while it is failing, calls fail at once with
/// `VectorIndexUnavailable`, so callers fall back to the store (DB-only mode) without waiting out timeouts. The
/// collection is set up on first use, and again after any failure to do so.
public final class GuardedVectorIndex: ProfileVectorIndex {
    let index: any ProfileVectorIndex
    public let breaker: CircuitBreaker
    let setUp: @Sendable () async throws -> Void
    private let isSetUp = Mutex(false)

    public init(
        _ index: any ProfileVectorIndex, breaker: CircuitBreaker = CircuitBreaker(),
        setUp: @escaping @Sendable () async throws -> Void = {}
    ) {
        self.index = index
        self.breaker = breaker
        self.setUp = setUp
    }

    public func upsert(_ vector: ProfileVector) async throws {
        try await guarded { try await self.index.upsert(vector) }
    }

    public func nearest(to vector: [Float], model: String, limit: Int, excluding user: UserID) async throws
        -> [SimilarProfile]
    {
        try await guarded { try await self.index.nearest(to: vector, model: model, limit: limit, excluding: user) }
    }

    public func remove(_ user: UserID) async throws {
        try await guarded { try await self.index.remove(user) }
    }

    private func guarded<T: Sendable>(_ call: @Sendable () async throws -> T) async throws -> T {
        guard breaker.permitsCall() else { throw VectorIndexUnavailable() }
        do {
            if !isSetUp.withLock({ $0 }) {
                try await setUp()
                isSetUp.withLock { $0 = true }
            }
            let result = try await call()
            breaker.recordSuccess()
            return result
        } catch {
            breaker.recordFailure()
            throw error
        }
    }
}

/// The external index's breaker is open: use the store.
public struct VectorIndexUnavailable: Error, CustomStringConvertible {
    public var description: String { "vector index unavailable (circuit open)" }
}
