import SQLKit

/// The few column types whose spelling differs between SQLite and PostgreSQL.
extension SQLDatabase {
    var isPostgres: Bool { dialect.name == "postgresql" }
    /// Timestamps with a time zone in PostgreSQL; SQLite keeps the driver's encoding (seconds since 1970).
    var timestampType: String { isPostgres ? "TIMESTAMPTZ" : "REAL" }
    /// JSON documents: JSONB in PostgreSQL (indexable with GIN), text in SQLite.
    var jsonType: String { isPostgres ? "JSONB" : "TEXT" }
    /// 8-byte floating point in both (PostgreSQL's REAL would be 4 bytes).
    var doubleType: String { isPostgres ? "DOUBLE PRECISION" : "REAL" }

    var timestamp: SQLDataType { .custom(SQLRaw(timestampType)) }
    var json: SQLDataType { .custom(SQLRaw(jsonType)) }
    var double: SQLDataType { .custom(SQLRaw(doubleType)) }
}

/// A JSON document as a bound value; PostgreSQL needs the text cast to JSONB.
struct SQLJSON: SQLExpression {
    let text: String

    func serialize(to serializer: inout SQLSerializer) {
        if serializer.dialect.name == "postgresql" {
            serializer.write("CAST(")
            serializer.write(bind: text)
            serializer.write(" AS JSONB)")
        } else {
            serializer.write(bind: text)
        }
    }
}

/// Selects a JSON column as text under its own name, whatever the store keeps it as.
struct SQLJSONColumn: SQLExpression {
    let name: String

    func serialize(to serializer: inout SQLSerializer) {
        if serializer.dialect.name == "postgresql" {
            serializer.write("CAST(")
            SQLIdentifier(name).serialize(to: &serializer)
            serializer.write(" AS TEXT) AS ")
            SQLIdentifier(name).serialize(to: &serializer)
        } else {
            SQLIdentifier(name).serialize(to: &serializer)
        }
    }
}
