/// One reply in the Redis serialization protocol, version 2 (the client never sends `HELLO 3`, so RESP3 types
/// cannot arrive).
public enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int)
    /// `nil` is Redis' null bulk string (`$-1`), for example a missing key.
    case bulkString([UInt8]?)
    /// `nil` is Redis' null array (`*-1`), for example a blocking read that timed out.
    case array([RESPValue]?)
}

extension RESPValue {
    /// The text of a simple or bulk string. Bytes that are not UTF-8 become U+FFFD rather than `nil`, so that `nil`
    /// keeps meaning only "null or not a string".
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes?): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    public var int: Int? {
        if case .integer(let value) = self { value } else { nil }
    }

    public var array: [RESPValue]? {
        if case .array(let elements?) = self { elements } else { nil }
    }

    public var isNull: Bool {
        switch self {
        case .bulkString(nil), .array(nil): true
        default: false
        }
    }
}
