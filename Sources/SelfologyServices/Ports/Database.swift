import SQLKit

/// The relational store port. Repositories are written once against SQLKit; the adapter decides whether the SQL
/// runs on SQLite or PostgreSQL and how transactions are isolated.
public protocol Database: Sendable {
    /// Runs `body` in one transaction on one connection: commits if it returns, rolls back if it throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
}

extension Database {
    /// A read, in a transaction of its own so it sees one consistent snapshot.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await transaction(body)
    }
}
