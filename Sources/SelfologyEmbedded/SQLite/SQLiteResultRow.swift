import Foundation
import GRDB
import SQLKit

/// One result row, copied out of the statement so it outlives the cursor.
struct SQLiteResultRow: SQLRow {
    let allColumns: [String]
    let values: [DatabaseValue]

    /// Copies the values of the row the statement stands on.
    init(columns: [String], statement: SQLiteStatement) {
        allColumns = columns
        values = (0..<CInt(columns.count)).map { DatabaseValue(sqliteStatement: statement, index: $0) }
    }

    func contains(column: String) -> Bool { allColumns.contains(column) }

    func decodeNil(column: String) throws -> Bool { try value(column).isNull }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        try SQLiteValueDecoder(value: try value(column), column: column).decode(D.self)
    }

    private func value(_ column: String) throws -> DatabaseValue {
        guard let index = allColumns.firstIndex(of: column) else {
            throw DecodingError.keyNotFound(
                SQLiteColumnKey(column), .init(codingPath: [], debugDescription: "no column \(column) in the row"))
        }
        return values[index]
    }
}

struct SQLiteColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Decodes one column's value into the Swift type a repository asks for. Dates come back from seconds since 1970.
struct SQLiteValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: DatabaseValue
    let column: String
    var codingPath: [any CodingKey] { [SQLiteColumnKey(column)] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }
    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw mismatch(type)
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw mismatch([Any].self) }

    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try integer(Int64.self) != 0 }
    func decode(_ type: String.Type) throws -> String {
        guard case .string(let text) = value.storage else { throw mismatch(type) }
        return text
    }
    func decode(_ type: Double.Type) throws -> Double {
        switch value.storage {
        case .double(let number): return number
        case .int64(let number): return Double(number)
        default: throw mismatch(type)
        }
    }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is Date.Type: return Date(timeIntervalSince1970: try decode(Double.self)) as! T
        case is Data.Type:
            guard case .blob(let bytes) = value.storage else { throw mismatch(type) }
            return bytes as! T
        default: return try T(from: self)
        }
    }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard case .int64(let number) = value.storage, let exact = T(exactly: number) else { throw mismatch(type) }
        return exact
    }

    private func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "column \(column) holds \(storageClass)"))
    }

    /// The storage class only: a value may be someone's words, which never go into an error or a log.
    private var storageClass: String {
        switch value.storage {
        case .null: "NULL"
        case .int64: "INTEGER"
        case .double: "REAL"
        case .string: "TEXT"
        case .blob: "BLOB"
        }
    }
}
