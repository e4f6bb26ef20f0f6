import SQLKit
import Synchronization

/// A statement written once with SQLKit's builders and serialized once per SQL dialect; each run binds new
/// values to its placeholders.
///
/// Why: building SQLKit's expression tree and serializing it cost about as much as SQLite running the statement,
/// every time, on the embedded store's one writer. A hot statement's text never changes, only its values do.
/// Values are bound in the order their placeholders appear in the SQL (for an UPDATE: the SET values, then the
/// WHERE values), and a run with the wrong number of values is refused. A multi-row statement is a template of
/// its row count (`init(rows:)`): one text per count, kept for counts up to `keptRowCounts`.
public final class SQLTemplate: Sendable {
    /// Stands where a value is bound at run time.
    public static let value: any SQLExpression = Placeholder()
    /// Stands where a JSON document is bound at run time, as text (PostgreSQL casts it to JSONB).
    public static let json: any SQLExpression = SQLJSONPlaceholder()

    /// `count` values bound at run time: one row of a multi-row INSERT.
    public static func row(_ count: Int) -> [any SQLExpression] { Array(repeating: value, count: count) }

    /// `(…)` of `count` values bound at run time, for `IN`.
    public static func values(_ count: Int) -> any SQLExpression {
        SQLGroupExpression(Array(repeating: value, count: count))
    }

    private struct Text: Sendable {
        let sql: String
        let placeholders: Int
    }

    private struct Shape: Hashable, Sendable {
        let dialect: String
        let rows: Int
    }

    private let build: @Sendable (any SQLDatabase, Int) -> any SQLQueryBuilder
    /// One text per dialect (and row count) met so far; in practice one dialect: a process runs on one store.
    private let texts = Mutex<[Shape: Text]>([:])
    /// Larger statements are rare (a backlog written at once) and long: they are built each time, not kept.
    public static let keptRowCounts = 64

    public init(_ build: @escaping @Sendable (any SQLDatabase) -> any SQLQueryBuilder) {
        self.build = { db, _ in build(db) }
    }

    /// A statement whose shape depends on how many rows it writes; `build` gets the count.
    public init(rows build: @escaping @Sendable (any SQLDatabase, Int) -> any SQLQueryBuilder) {
        self.build = build
    }

    /// Runs the statement for `rows` rows, `values` being every row's values one row after the other.
    public func run(rows: Int, _ values: [any Encodable & Sendable], on db: any SQLDatabase) async throws {
        try await db.execute(sql: try bound(values, rows: rows, for: db)) { _ in }
    }

    public func all(rows: Int, _ values: [any Encodable & Sendable], on db: any SQLDatabase) async throws
        -> [any SQLRow]
    {
        let collected = RowCollector()
        try await db.execute(sql: try bound(values, rows: rows, for: db)) { collected.append($0) }
        return collected.rows
    }

    /// Runs the statement and ignores any rows.
    public func run(_ values: any Encodable & Sendable..., on db: any SQLDatabase) async throws {
        try await run(rows: 1, values, on: db)
    }

    /// Runs the statement and returns its rows.
    public func all(_ values: any Encodable & Sendable..., on db: any SQLDatabase) async throws -> [any SQLRow] {
        try await all(rows: 1, values, on: db)
    }

    /// The statement's first row; the statement itself says `LIMIT 1` when only one is wanted.
    public func first(_ values: any Encodable & Sendable..., on db: any SQLDatabase) async throws -> (any SQLRow)? {
        try await all(rows: 1, values, on: db).first
    }

    private func bound(_ values: [any Encodable & Sendable], rows: Int, for db: any SQLDatabase) throws
        -> BoundStatement
    {
        let text = self.text(for: db, rows: rows)
        guard values.count == text.placeholders else {
            throw SQLTemplateError.wrongValueCount(expected: text.placeholders, given: values.count, sql: text.sql)
        }
        return BoundStatement(sql: text.sql, values: values)
    }

    private func text(for db: any SQLDatabase, rows: Int) -> Text {
        let shape = Shape(dialect: db.dialect.name, rows: rows)
        if let known = texts.withLock({ $0[shape] }) { return known }
        var serializer = SQLSerializer(database: db)
        build(db, rows).query.serialize(to: &serializer)
        precondition(
            serializer.binds.allSatisfy { $0 is Placeholder.Marker },
            "an SQLTemplate binds only placeholders; a value written into it would be bound on every run: "
                + serializer.sql)
        let text = Text(sql: serializer.sql, placeholders: serializer.binds.count)
        if rows <= Self.keptRowCounts { texts.withLock { $0[shape] = text } }
        return text
    }

    private struct Placeholder: SQLExpression {
        struct Marker: Encodable, Sendable {}
        func serialize(to serializer: inout SQLSerializer) { serializer.write(bind: Marker()) }
    }

    private struct SQLJSONPlaceholder: SQLExpression {
        func serialize(to serializer: inout SQLSerializer) {
            guard serializer.dialect.name == "postgresql" else { return Placeholder().serialize(to: &serializer) }
            serializer.write("CAST(")
            Placeholder().serialize(to: &serializer)
            serializer.write(" AS JSONB)")
        }
    }
}

extension SQLInsertBuilder {
    /// `rows` rows alike, each `row`: the VALUES of a multi-row template.
    @discardableResult
    public func values(rows: Int, each row: [any SQLExpression]) -> Self {
        for _ in 0..<rows { values(row) }
        return self
    }

    /// An upsert: a row whose `key` is taken already gets these columns from the row offered instead.
    @discardableResult
    public func onConflict(with key: [String], replacing columns: [String]) -> Self {
        onConflict(with: key) { update in
            for column in columns { update.set(excludedValueOf: column) }
            return update
        }
    }
}

public enum SQLTemplateError: Error, CustomStringConvertible {
    case wrongValueCount(expected: Int, given: Int, sql: String)

    public var description: String {
        switch self {
        case .wrongValueCount(let expected, let given, let sql):
            "statement takes \(expected) values, \(given) given: \(sql)"
        }
    }
}

/// A template's text with this run's values, for a store that binds them to its prepared statement itself rather
/// than through SQLKit's serializer and its driver's argument layer (the embedded store does). The values are
/// in placeholder order and their count is checked against the text.
public protocol BoundTemplate: SQLExpression {
    var sql: String { get }
    var values: [any Encodable & Sendable] { get }
}

/// A template's text with this run's values: serializing it is one append, whatever the statement.
private struct BoundStatement: BoundTemplate {
    let sql: String
    let values: [any Encodable & Sendable]

    func serialize(to serializer: inout SQLSerializer) {
        // The text numbers its placeholders from 1 (PostgreSQL's $1…), so it must be the whole statement.
        precondition(serializer.binds.isEmpty && serializer.sql.isEmpty, "a bound template is a whole statement")
        serializer.write(sql)
        serializer.binds = values
    }
}

/// Rows handed over one at a time by a driver, which may call from its own thread.
private final class RowCollector: Sendable {
    private let collected = Mutex<[any SQLRow]>([])
    var rows: [any SQLRow] { collected.withLock { $0 } }
    func append(_ row: any SQLRow) { collected.withLock { $0.append(row) } }
}
