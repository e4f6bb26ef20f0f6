import Foundation
import GRDB
import Logging
import SQLKit
import SelfologyServices

/// The embedded runtime's store: one SQLite file in WAL mode, one connection, transactions taken in turn
/// (interactive ones first).
///
/// SQLite allows one writer at a time anyway, so a single connection with an async lock costs nothing and keeps
/// each transaction's statements together. `synchronous=NORMAL` in WAL mode survives a process crash (the case
/// the outbox guards against); only a power cut can lose the last commits.
public final class SQLiteDatabase: SelfologyServices.Database {
    private let sql: SQLiteConnectionSQL
    private let lock = AsyncLock()
    public let path: String?

    private init(sql: SQLiteConnectionSQL, path: String?) {
        self.sql = sql
        self.path = path
    }

    /// Opens (creating if needed) the database at `path`, or a private in-memory one when `path` is nil.
    public static func open(path: String?, logger: Logger = Logger(label: "selfology.sqlite")) async throws
        -> SQLiteDatabase
    {
        var configuration = Configuration()
        configuration.label = "selfology"
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        // A transaction spans several statements, each its own call, while this store's lock is held.
        configuration.allowsUnsafeTransactions = true
        let queue: DatabaseQueue
        if let path {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            configuration.journalMode = .wal
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.inDatabase { try $0.execute(sql: "PRAGMA synchronous = NORMAL") }
        } else {
            queue = try DatabaseQueue(configuration: configuration)
        }
        let version = try queue.inDatabase { try String.fetchOne($0, sql: "SELECT sqlite_version()") } ?? ""
        guard version.split(separator: ".").compactMap({ Int($0) }).lexicographicallyPrecedes([3, 35]) == false else {
            throw SQLiteVersionTooOld(found: version)
        }
        return SQLiteDatabase(sql: SQLiteConnectionSQL(queue: queue, logger: logger), path: path)
    }

    public func transaction<T: Sendable>(
        urgency: TransactionUrgency, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        // One connection for the whole process: the lock makes each transaction its sole user meanwhile, and lets
        // a transaction a person waits on overtake background work queued before it.
        try await lock.withLock(urgency) { [sql] in try await sql.runTransaction(begin: "BEGIN IMMEDIATE", body) }
    }

    public func close() async throws {
        try await lock.withLock(.interactive) { [sql] in try sql.queue.close() }
    }
}

/// The system's SQLite predates RETURNING (3.35), which the repositories use.
public struct SQLiteVersionTooOld: Error, CustomStringConvertible {
    public let found: String
    public var description: String { "SQLite \(found) is too old: Selfology needs 3.35 or newer (libsqlite3)" }
}
