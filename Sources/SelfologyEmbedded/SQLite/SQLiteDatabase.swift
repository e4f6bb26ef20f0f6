import Foundation
import GRDB
import Logging
import SQLKit
import SelfologyServices

/// The embedded runtime's store: one SQLite file in WAL mode, one writing connection, transactions taken in turn
/// (interactive ones first) and committed in groups (`GroupCommit`), the WAL copied back into the file beside
/// them (`WALCheckpointer`).
///
/// SQLite allows one writer at a time anyway, so a single writing connection costs nothing and keeps each
/// transaction's statements together. Reads of a file store go to read-only connections of their own (`SQLiteReaders`), which
/// WAL lets run beside the writer. `synchronous=NORMAL` in WAL mode survives a process crash (the case the outbox
/// guards against); only a power cut can lose the last commits.
public final class SQLiteDatabase: SelfologyServices.Database {
    private let sql: SQLiteConnectionSQL
    private let writer: GroupCommit
    private let readers: SQLiteReaders
    private let checkpointer: WALCheckpointer?
    public let path: String?

    private init(
        sql: SQLiteConnectionSQL, readers: SQLiteReaders, checkpoints: DatabaseQueue?, path: String?,
        grouping: GroupCommit.Limits
    ) {
        self.sql = sql
        self.readers = readers
        self.path = path
        let checkpointer = checkpoints.map { WALCheckpointer(connection: $0, logger: sql.logger) }
        self.checkpointer = checkpointer
        writer = GroupCommit(limits: grouping) { group in
            await Self.run(group, on: sql)
            checkpointer?.committed()
        }
        checkpointer?.start()
    }

    /// Transactions waiting for their turn.
    var waiting: Int { writer.waiting }

    /// Whether closing has begun: new transactions are refused, queued ones still run.
    var isClosing: Bool { writer.isClosed }

    /// Transactions run and the commits they took so far.
    public var commits: GroupCommit.Counts { writer.counts }

    /// Opens (creating if needed) the database at `path`, or a private in-memory one when `path` is nil.
    public static func open(path: String?, logger: Logger = Logger(label: "selfology.sqlite")) async throws
        -> SQLiteDatabase
    {
        try await open(path: path, logger: logger, grouping: .init())
    }

    static func open(
        path: String?, logger: Logger = Logger(label: "selfology.sqlite"), grouping: GroupCommit.Limits
    ) async throws -> SQLiteDatabase {
        var configuration = Configuration()
        configuration.label = "selfology"
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        // A transaction spans several statements, each its own call, while its group has the connection.
        configuration.allowsUnsafeTransactions = true
        let queue: DatabaseQueue
        var readers: [SQLiteConnectionSQL] = []
        var checkpoints: DatabaseQueue?
        if let path {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            configuration.journalMode = .wal
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.inDatabase {
                try $0.execute(sql: "PRAGMA synchronous = NORMAL")
                try $0.execute(sql: "PRAGMA wal_autocheckpoint = \(WALCheckpointer.writerThreshold)")
            }
            checkpoints = try DatabaseQueue(path: path, configuration: configuration)
            var readOnly = configuration
            readOnly.readonly = true
            readOnly.journalMode = .default
            for _ in 0..<SQLiteReaders.count {
                readers.append(
                    SQLiteConnectionSQL(queue: try DatabaseQueue(path: path, configuration: readOnly), logger: logger))
            }
        } else {
            // A private in-memory database exists for its one connection only: reads take their turn on it.
            queue = try DatabaseQueue(configuration: configuration)
        }
        let version = try queue.inDatabase { try String.fetchOne($0, sql: "SELECT sqlite_version()") } ?? ""
        guard version.split(separator: ".").compactMap({ Int($0) }).lexicographicallyPrecedes([3, 35]) == false else {
            throw SQLiteVersionTooOld(found: version)
        }
        return SQLiteDatabase(
            sql: SQLiteConnectionSQL(queue: queue, logger: logger), readers: SQLiteReaders(readers),
            checkpoints: checkpoints, path: path, grouping: grouping)
    }

    public func transaction<T: Sendable>(
        urgency: TransactionUrgency, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await writer.run(urgency, body)
    }

    /// A read runs on a free reader connection, in a transaction of its own so that its statements share one
    /// snapshot of what was committed; with none free (or none at all: an in-memory store), it takes its turn
    /// with the writer.
    public func read<T: Sendable>(
        urgency: TransactionUrgency, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        guard let reader = readers.take() else { return try await transaction(urgency: urgency, body) }
        defer { readers.give(reader) }
        return try await reader.runTransaction(begin: "BEGIN", body)
    }

    public func close() async throws {
        await writer.close()
        try checkpointer?.close()
        try sql.queue.close()
        try readers.close()
    }

    /// Runs a group in one transaction, each request in a savepoint so that one that throws is undone alone,
    /// and hands out the results once the commit is done. A group of one needs no savepoint.
    private static func run(_ group: [GroupCommit.Request], on sql: SQLiteConnectionSQL) async {
        if group.count == 1, let request = group.first {
            do {
                let deliver = try await sql.runTransaction(begin: "BEGIN IMMEDIATE") { try await request.run($0) }
                deliver()
            } catch {
                request.fail(error)
            }
            return
        }
        var delivered: [@Sendable () -> Void] = []
        var failed: [(GroupCommit.Request, any Error)] = []
        do {
            try await sql.raw("BEGIN IMMEDIATE").run()
            for request in group {
                try await sql.raw("SAVEPOINT grouped").run()
                do {
                    delivered.append(try await request.run(sql))
                } catch {
                    // Throws in turn if SQLite has rolled back the whole transaction (a full disk, say).
                    try await sql.raw("ROLLBACK TO grouped").run()
                    failed.append((request, error))
                }
                try await sql.raw("RELEASE grouped").run()
            }
            try await sql.raw("COMMIT").run()
        } catch {
            // The group's work is undone: every request in it failed, those that had succeeded too.
            try? await sql.raw("ROLLBACK").run()
            for request in group { request.fail(error) }
            return
        }
        for deliver in delivered { deliver() }
        for (request, error) in failed { request.fail(error) }
    }
}

/// The system's SQLite predates RETURNING (3.35), which the repositories use.
public struct SQLiteVersionTooOld: Error, CustomStringConvertible {
    public let found: String
    public var description: String { "SQLite \(found) is too old: Selfology needs 3.35 or newer (libsqlite3)" }
}
