import Logging
import PostgresKit

/// A session on one leased connection. Data statements a process runs often are prepared (`PreparedStatements`,
/// when given); everything else (BEGIN, COMMIT, DDL, rarer statements) runs unnamed. Rows decode through
/// `StoreRow` either way. Only a statement with a value PostgresNIO cannot bind as it is goes through PostgresKit,
/// whose general Encodable path binds it.
struct PostgresSession: SQLDatabase {
    let connection: PostgresConnection
    let statements: PreparedStatements?
    let counter: PostgresTrafficCounter
    let plain: any SQLDatabase

    init(connection: PostgresConnection, statements: PreparedStatements?, counter: PostgresTrafficCounter) {
        self.connection = connection
        self.statements = statements
        self.counter = counter
        plain = connection.sql(queryLogLevel: nil)
    }

    var logger: Logger { plain.logger }
    var eventLoop: any EventLoop { plain.eventLoop }
    var dialect: any SQLDialect { plain.dialect }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        counter.countStatement()
        return plain.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        counter.countStatement()
        let (sql, binds) = serialize(query)
        guard let bound = BoundValues(binds) else { return try await plain.execute(sql: query, onRow) }
        let (connection, logger) = (self.connection, self.logger)
        guard Self.isDataStatement(sql), let statements,
            let name = statements.name(sql: sql, types: bound.types, on: connection.id)
        else {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bound.bindings), logger: logger) {
                onRow(StoreRow($0))
            }.get()
            return
        }
        do {
            try await NamedStatement.$current.withValue(.init(name: name, sql: sql, types: bound.types)) {
                for try await row in try await connection.execute(
                    NamedStatement(bindings: bound.bindings), logger: logger)
                {
                    onRow(StoreRow(row))
                }
            }
        } catch {
            statements.refuse(name, on: connection.id)
            throw error
        }
    }

    private static func isDataStatement(_ sql: String) -> Bool {
        let verb = sql.prefix(7).uppercased()
        return ["SELECT ", "INSERT ", "UPDATE ", "DELETE ", "WITH "].contains { verb.hasPrefix($0) }
    }
}
