import Foundation
import GRDB

/// Turns SQLKit's bound values into SQLite values. Dates are seconds since 1970 as REAL (what the store has
/// always held); other values keep their natural storage class; anything structured is stored as JSON text.
enum SQLiteBind {
    static func value(_ bind: any Encodable & Sendable) throws -> DatabaseValue {
        // The concrete types first: a cast to one of them is a metadata comparison (and unwraps a present
        // Optional), while the cast to a protocol below looks its conformance up.
        switch bind {
        case let date as Date: return date.timeIntervalSince1970.databaseValue
        case let text as String: return text.databaseValue
        case let number as Int: return number.databaseValue
        case let number as Int64: return number.databaseValue
        case let number as Int32: return number.databaseValue
        case let number as Double: return number.databaseValue
        case let flag as Bool: return flag.databaseValue
        case let bytes as Data: return bytes.databaseValue
        case let optional as any OptionalValue where optional.isNone: return .null
        default: return try encoded(bind)
        }
    }

    /// Values of other types (enums with raw values, structs) go through their own `Codable` form.
    private static func encoded(_ bind: any Encodable) throws -> DatabaseValue {
        let json = try JSONEncoder().encode(bind)
        let text = String(decoding: json, as: UTF8.self)
        if text == "null" { return .null }
        if let number = Int64(text) { return number.databaseValue }
        if let number = Double(text) { return number.databaseValue }
        if text.hasPrefix("\""), let string = try? JSONDecoder().decode(String.self, from: json) {
            return string.databaseValue
        }
        return text.databaseValue
    }
}

/// Lets a bound `Optional` be recognised as nil whatever it wraps.
private protocol OptionalValue {
    var isNone: Bool { get }
}

extension Optional: OptionalValue {
    var isNone: Bool { self == nil }
}
