import GRDB
import GRDBSQLite
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SelfologyServices

/// SQLKit over one GRDB connection, running each statement synchronously on the calling thread.
///
/// SQLite answers in microseconds; handing every statement to a thread pool and back (what an asynchronous
/// driver does) cost more than the statements themselves, so the embedded store runs them in place. Only the
/// holder of `SQLiteDatabase`'s lock uses the connection, so no two statements ever overlap.
struct SQLiteConnectionSQL: SQLDatabase {
    let queue: DatabaseQueue
    let logger: Logger
    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLKit.SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        eventLoop.makeCompletedFuture { try run(query, onRow) }
    }

    func execute(sql query: any SQLKit.SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    /// Runs one statement; prepared statements are cached per SQL text, so a hot query is parsed once.
    private func run(_ query: any SQLKit.SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        if let template = query as? any BoundTemplate { return try run(template, onRow) }
        let (sql, binds) = serialize(query)
        // As optional existentials: GRDB's initializer for a sequence of concrete values maps it through a key
        // path, unspecialized across the module boundary, which cost 4.8% of the embedded bench's CPU.
        let values: [(any DatabaseValueConvertible)?] = try binds.map(SQLiteBind.value)
        let arguments = StatementArguments(values)
        try queue.inDatabase { db in
            let statement = try db.cachedStatement(sql: sql)
            guard statement.columnCount > 0 else { return try statement.execute(arguments: arguments) }
            // Values are read straight off the statement, and every row shares the statement's column names
            // (computed once per cached statement): going through GRDB's `Row` built each name and value twice.
            let columns = statement.columnNames
            let rows = try Row.fetchCursor(statement, arguments: arguments)
            while try rows.next() != nil {
                onRow(SQLiteResultRow(columns: columns, statement: statement.sqliteStatement))
            }
        }
    }

    /// A template's statement (data in or out, never schema or transaction control), bound and stepped with
    /// SQLite's own calls. GRDB's argument layer (building, validating and binding its arguments, a cursor and
    /// a row per read) cost as much as SQLite running these statements, on the one writer every answer waits for.
    private func run(_ template: any BoundTemplate, _ onRow: (any SQLRow) -> Void) throws {
        let values = try template.values.map(SQLiteBind.value)
        try queue.inDatabase { db in
            let statement = try db.cachedStatement(sql: template.sql)
            let handle = statement.sqliteStatement
            // Left reset and unbound, as GRDB leaves its cached statements, whether this run ends well or not.
            defer {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
            for (index, value) in values.enumerated() {
                let code = value.bind(to: handle, at: CInt(index + 1))
                guard code == SQLITE_OK else { throw failure(code, in: db, sql: template.sql) }
            }
            let columns = statement.columnCount > 0 ? statement.columnNames : []
            while true {
                switch sqlite3_step(handle) {
                case SQLITE_DONE: return
                case SQLITE_ROW: onRow(SQLiteResultRow(columns: columns, statement: handle))
                case let code: throw failure(code, in: db, sql: template.sql)
                }
            }
        }
    }

    private func failure(_ code: CInt, in db: GRDB.Database, sql: String) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
    }
}
