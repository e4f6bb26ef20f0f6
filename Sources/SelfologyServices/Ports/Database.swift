import SQLKit

/// The relational store port. Repositories are written once against SQLKit; the adapter decides whether the SQL
/// runs on SQLite or PostgreSQL and how transactions are isolated.
public protocol Database: Sendable {
    /// Runs `body` in one transaction on one connection: commits if it returns, rolls back if it throws.
    /// `urgency` says whether a person is waiting on it; a store that runs one transaction at a time lets the
    /// waiting person go first.
    func transaction<T: Sendable>(
        urgency: TransactionUrgency, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T

    /// Runs `body`, which only reads, on one connection. It sees committed data only; whether its statements
    /// share one snapshot is the store's: SQLite's reads take the one connection in turn and do, while
    /// PostgreSQL's (read committed, as its transactions are) see each what was committed when it began.
    func read<T: Sendable>(
        urgency: TransactionUrgency, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T

    /// Runs `body`, which writes with exactly one statement. A statement is atomic by itself, so a store that
    /// commits each statement on its own (PostgreSQL outside a transaction) needs no BEGIN and COMMIT for it:
    /// two round trips of the three.
    func autocommit<T: Sendable>(
        urgency: TransactionUrgency, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T
}

/// Whether a person waits on a transaction: their answer, feedback, next question, coach reply, or the relay that
/// carries them. Deep analysis, profile merges, vectors and trait history are background work.
public enum TransactionUrgency: Sendable {
    case interactive
    case background
}

extension Database {
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws
        -> T
    {
        try await transaction(urgency: .interactive, body)
    }

    /// By default a read is a transaction of its own.
    public func read<T: Sendable>(
        urgency: TransactionUrgency, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await transaction(urgency: urgency, body)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await read(urgency: .interactive, body)
    }

    /// By default a lone statement is a transaction too.
    public func autocommit<T: Sendable>(
        urgency: TransactionUrgency, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await transaction(urgency: urgency, body)
    }

    public func autocommit<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T)
        async throws -> T
    {
        try await autocommit(urgency: .interactive, body)
    }
}
