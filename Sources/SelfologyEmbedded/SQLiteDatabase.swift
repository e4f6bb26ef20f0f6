import Foundation
import Logging
import SQLKit
import SQLiteKit
import SelfologyServices

/// The embedded runtime's store: one SQLite file in WAL mode, one connection, transactions taken in turn.
///
/// SQLite allows one writer at a time anyway, so a single connection with an async lock costs nothing and keeps
/// each transaction's statements together. `synchronous=NORMAL` in WAL mode survives a process crash (the case
/// the outbox guards against); only a power cut can lose the last commits.
public final class SQLiteDatabase: Database {
    private let connection: SQLiteConnection
    private let lock = AsyncLock()
    public let path: String?

    private init(connection: SQLiteConnection, path: String?) {
        self.connection = connection
        self.path = path
    }

    /// Opens (creating if needed) the database at `path`, or a private in-memory one when `path` is nil.
    public static func open(path: String?, logger: Logger = Logger(label: "selfology.sqlite")) async throws
        -> SQLiteDatabase
    {
        if let path {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let connection = try await SQLiteConnection.open(
            storage: path.map { .file(path: $0) } ?? .memory, logger: logger)
        let database = SQLiteDatabase(connection: connection, path: path)
        let sql = connection.sql(queryLogLevel: nil)
        for pragma in ["journal_mode = WAL", "synchronous = NORMAL", "busy_timeout = 5000", "foreign_keys = ON"] {
            try await sql.raw(SQLQueryString("PRAGMA \(unsafeRaw: pragma)")).run()
        }
        return database
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws
        -> T
    {
        let sql = connection.sql(queryLogLevel: nil)
        // One connection for the whole process: the lock makes each transaction its sole user meanwhile.
        return try await lock.withLock { try await sql.runTransaction(begin: "BEGIN IMMEDIATE", body) }
    }

    public func close() async throws {
        try await lock.withLock { try await self.connection.close() }
    }
}

/// A first-come, first-served lock for async code.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        guard locked else {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
