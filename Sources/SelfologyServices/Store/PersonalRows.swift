import SQLKit
import SelfologyCore

/// A table where a service keeps rows about people, found by `user_id`: what /forget deletes and /mydata copies.
public struct PersonalTable: Sendable {
    public let name: String
    /// Where several groups write one table (model usage, by task), the rows this group writes.
    let only: (column: String, value: String)?
    /// Columns that hold JSON documents: SQLite keeps them as text, and the copy shows them as JSON.
    let jsonColumns: Set<String>

    init(_ name: String, only: (column: String, value: String)? = nil, jsonColumns: Set<String> = []) {
        self.name = name
        self.only = only
        self.jsonColumns = jsonColumns
    }

    /// The model calls made for people by one task (`ai_usage`, which four groups write).
    static func modelUsage(of task: AITask) -> PersonalTable {
        PersonalTable("ai_usage", only: ("task", task.rawValue))
    }
}

/// Reads and deletes a person's rows of a `PersonalTable` alike on SQLite and PostgreSQL.
enum PersonalRows {
    static func delete(_ user: UserID, from tables: [PersonalTable], in db: any SQLDatabase) async throws {
        for table in tables {
            try await db.raw("DELETE FROM \(ident: table.name) WHERE \(condition(table, user))").run()
        }
    }

    /// Every row of the person in each of `tables`, for their copy of their data. Timestamps are ISO 8601 text in
    /// UTC (PostgreSQL writes them in the session's time zone, set to UTC for the rest of this transaction) and
    /// binary columns hex text after `\x`, in both stores.
    static func copy(of user: UserID, from tables: [PersonalTable], in db: any SQLDatabase) async throws
        -> [UserDataCollected.Table]
    {
        if db.isPostgres { try await db.raw("SET LOCAL TIME ZONE 'UTC'").run() }
        var copied: [UserDataCollected.Table] = []
        for table in tables {
            copied.append(.init(name: table.name, rows: try await rows(of: user, in: table, db: db)))
        }
        return copied
    }

    /// Every row of the person in `table`, each as one JSON object, columns by name.
    private static func rows(of user: UserID, in table: PersonalTable, db: any SQLDatabase) async throws -> [JSONValue]
    {
        let query: SQLQueryString
        if db.isPostgres {
            query =
                "SELECT CAST(row_to_json(t) AS TEXT) AS row FROM \(ident: table.name) AS t WHERE \(condition(table, user))"
        } else {
            let columns = try await db.raw("SELECT name, type FROM pragma_table_info(\(bind: table.name))").all()
            var members: [String] = []
            for column in columns {
                let name = try column.decode(column: "name", as: String.self)
                let type = try column.decode(column: "type", as: String.self).uppercased()
                members.append("'\(name)', \(sqliteValue(of: name, type: type, in: table))")
            }
            query = """
                SELECT json_object(\(unsafeRaw: members.joined(separator: ", "))) AS row FROM \(ident: table.name) \
                WHERE \(condition(table, user)) ORDER BY rowid
                """
        }
        return try await db.raw(query).all().map { try JSONValue.parse(try $0.decode(column: "row", as: String.self)) }
    }

    private static func condition(_ table: PersonalTable, _ user: UserID) -> SQLQueryString {
        guard let only = table.only else { return "user_id = \(bind: user.rawValue)" }
        return "user_id = \(bind: user.rawValue) AND \(ident: only.column) = \(bind: only.value)"
    }

    /// SQLite keeps timestamps as seconds since 1970 in REAL columns named `…_at` or `timestamp` (`SQLTypes`).
    private static func sqliteValue(of name: String, type: String, in table: PersonalTable) -> String {
        let column = "\"\(name)\""
        if table.jsonColumns.contains(name) { return "json(\(column))" }
        if type == "BLOB" { return "CASE WHEN \(column) IS NULL THEN NULL ELSE '\\x' || lower(hex(\(column))) END" }
        if type == "REAL" && (name.hasSuffix("_at") || name == "timestamp") {
            return "strftime('%Y-%m-%dT%H:%M:%fZ', \(column), 'unixepoch')"
        }
        return column
    }
}
