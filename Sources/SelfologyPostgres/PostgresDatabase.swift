import Foundation
import Logging
import PostgresKit
import SelfologyServices

/// The distributed runtime's store: PostgreSQL through PostgresNIO's connection pool. Every connection starts
/// with `search_path` set to the `selfology` schema, so the same SQL as on SQLite lands in that schema.
/// The pool must be running (`run()`, for example in the service group) for transactions to get connections.
public final class PostgresDatabase: Database {
    public let client: PostgresClient
    public let schema: String
    /// The statements this process prepares on its connections; nil runs every statement unnamed.
    let statements: PreparedStatements?
    private let counter = PostgresTrafficCounter()

    /// The statements and transactions this store has run so far.
    public var traffic: PostgresTraffic { counter.traffic }

    public init(
        configuration: PostgresURL, schema: String = "selfology", minimumConnections: Int = 5,
        maximumConnections: Int = 20, preparing: Bool = true, logger: Logger = Logger(label: "selfology.postgres")
    ) {
        var config =
            if let socket = configuration.socketPath {
                PostgresClient.Configuration(
                    unixSocketPath: socket, username: configuration.username, password: configuration.password,
                    database: configuration.database)
            } else {
                PostgresClient.Configuration(
                    host: configuration.host, port: configuration.port, username: configuration.username,
                    password: configuration.password, database: configuration.database,
                    tls: configuration.requireTLS ? .require(.makeClientConfiguration()) : .disable)
            }
        config.options.minimumConnections = minimumConnections
        config.options.maximumConnections = maximumConnections
        config.options.additionalStartupParameters = [("search_path", schema)]
        client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.schema = schema
        statements = preparing ? PreparedStatements() : nil
    }

    /// Runs the connection pool until the task is cancelled.
    public func run() async { await client.run() }

    /// Creates the schema if it does not exist yet; migrations then create the tables in it. The advisory lock
    /// (the migrator's) keeps processes that start together from racing on the catalog.
    public func createSchema() async throws {
        let schema = self.schema
        try await transaction { db in
            try await db.raw("SELECT pg_advisory_xact_lock(\(literal: 5_121_906))").run()
            try await db.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
        }
    }

    /// Urgency changes nothing here: PostgreSQL runs transactions side by side, up to the pool's size.
    public func transaction<T: Sendable>(
        urgency: TransactionUrgency, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        // A leased connection is this transaction's alone until it is released.
        counter.countTransaction()
        return try await client.withConnection { connection in
            try await session(on: connection).runTransaction(body)
        }
    }

    /// A read needs no BEGIN and COMMIT here: in read committed, a transaction gives its statements no common
    /// snapshot anyway, and the two round trips were most of a one-statement read's cost.
    public func read<T: Sendable>(
        urgency: TransactionUrgency, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await client.withConnection { connection in try await body(session(on: connection)) }
    }

    private func session(on connection: PostgresConnection) -> any SQLDatabase {
        PostgresSession(connection: connection, statements: statements, counter: counter)
    }

    /// Outside a transaction PostgreSQL commits each statement as it completes: a read's connection will do.
    public func autocommit<T: Sendable>(
        urgency: TransactionUrgency, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await read(urgency: urgency, body)
    }
}

/// `postgres://user[:password]@host[:port]/database[?sslmode=disable|require]`, as in `DATABASE_URL`. As with
/// libpq, a `host` parameter that is a directory (`postgres://user@/database?host=/var/run/postgresql`, and a
/// `port` parameter if it is not 5432) connects through the server's Unix socket in it, `.s.PGSQL.<port>`: on
/// the server's own machine that spares every statement the TCP stack.
public struct PostgresURL: Sendable, Equatable {
    public let host: String
    public let port: Int
    /// The Unix socket's path when the URL names a socket directory.
    public let socketPath: String?
    public let username: String
    public let password: String?
    public let database: String
    public let requireTLS: Bool

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self {
            case .invalid(let reason): "DATABASE_URL is not a valid postgres:// URL: \(reason)"
            }
        }
    }

    public init(_ text: String) throws(ParseError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else { throw .invalid("expected postgres://user@host:port/database") }
        let parameter = { (name: String) in components.queryItems?.first { $0.name == name }?.value }
        let socketDirectory = parameter("host").flatMap { $0.hasPrefix("/") ? $0 : nil }
        let host = components.host ?? ""
        guard !host.isEmpty || socketDirectory != nil else { throw .invalid("no host") }
        guard let username = components.user, !username.isEmpty else { throw .invalid("no user") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw .invalid("no database name") }
        let sslmode = parameter("sslmode") ?? "disable"
        guard ["disable", "require", "prefer"].contains(sslmode) else { throw .invalid("sslmode \(sslmode)") }
        requireTLS = sslmode == "require"
        guard socketDirectory == nil || !requireTLS else { throw .invalid("sslmode=require over a Unix socket") }
        self.host = host
        guard let port = components.port ?? Int(parameter("port") ?? "5432"), (1...65535).contains(port) else {
            throw .invalid("port must be a number from 1 to 65535")
        }
        self.port = port
        socketPath = socketDirectory.map { "\($0.hasSuffix("/") ? String($0.dropLast()) : $0)/.s.PGSQL.\(port)" }
        self.username = username
        self.password = components.password
        self.database = database
    }
}
