import Foundation
import PostgresKit

/// A result row that decodes the types the store reads (text, integers, doubles, booleans, timestamps, and
/// optionals of them) straight from the cell; any other type, and any error, goes through PostgresKit's row.
/// PostgresKit's path casts the type to a protocol and builds a coding path for every column of every row: 4-8%
/// of the process at full load.
struct StoreRow: SQLRow {
    let row: PostgresRow
    let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row
        cells = PostgresRandomAccessRow(row)
    }

    var allColumns: [String] { cells.map(\.columnName) }

    func contains(column: String) -> Bool { cells.contains(column) }

    func decodeNil(column: String) throws -> Bool { !cells.contains(column) || cells[column].bytes == nil }

    func decode<T: Decodable>(column: String, as type: T.Type) throws -> T {
        if cells.contains(column), let value = try? Self.decode(cells[column], as: type) { return value }
        // Other types, a missing column and errors as PostgresKit reports them.
        return try row.sql().decode(column: column, as: type)
    }

    /// Nil for a type this row leaves to PostgresKit. Metatype comparisons, unlike casts, cost next to nothing.
    private static func decode<T>(_ cell: PostgresCell, as type: T.Type) throws -> T? {
        if T.self == String.self { return try cell.decode(String.self) as? T }
        if T.self == Int.self { return try cell.decode(Int.self) as? T }
        if T.self == Date.self { return try cell.decode(Date.self) as? T }
        if T.self == Double.self { return try cell.decode(Double.self) as? T }
        if T.self == Bool.self { return try cell.decode(Bool.self) as? T }
        if T.self == Int64.self { return try cell.decode(Int64.self) as? T }
        if T.self == String?.self { return try cell.decode(String?.self) as? T }
        if T.self == Int?.self { return try cell.decode(Int?.self) as? T }
        if T.self == Date?.self { return try cell.decode(Date?.self) as? T }
        if T.self == Double?.self { return try cell.decode(Double?.self) as? T }
        return nil
    }
}
