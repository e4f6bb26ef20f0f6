import SelfologyServices

/// The intelligence the services get, and the external vector index beside the store, with what must be shut
/// down when the process stops (the HTTP client of the remote models).
public struct Intelligences: Sendable {
    public let intelligence: any Intelligence
    /// Qdrant in the distributed runtime; nil uses the store's own vectors only.
    public let vectorIndex: (any ProfileVectorIndex)?
    let shutdown: @Sendable () async throws -> Void

    public init(
        intelligence: any Intelligence, vectorIndex: (any ProfileVectorIndex)? = nil,
        shutdown: @escaping @Sendable () async throws -> Void = {}
    ) {
        self.intelligence = intelligence
        self.vectorIndex = vectorIndex
        self.shutdown = shutdown
    }
}
