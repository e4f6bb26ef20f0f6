/// A value that writes its own JSON, exactly the text `EventCoding.encoder` would write for it.
///
/// Why: a profile is encoded three times per answer (profile storage's row, the `profile.updated` payload, the
/// coach's copy), and Foundation's encoder spent a tenth of the embedded runtime's CPU on it, most of it in
/// containers and boxing rather than in writing text; the other payloads and rows written for every answer (its
/// analyses, evidence and vector, the next question, the chat state, queued messages) cost another 7%. Only types
/// on those paths conform; tests compare their text byte for byte with the encoder's.
public protocol JSONTextEncodable: Encodable {
    func writeJSON(to writer: inout JSONTextWriter) throws
}

/// Appends JSON text the way `EventCoding.encoder` formats it: keys in the order the caller gives (callers give
/// them sorted), `/` unescaped, numbers in Swift's shortest form without a trailing `.0`.
public struct JSONTextWriter {
    /// UTF-8 bytes, made a string once at the end: appending to a `String` piece by piece checked and grew it
    /// at every step.
    private var bytes: [UInt8] = []
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    /// Whether the next key or array element needs a comma before it.
    private var afterValue = false

    public init() { bytes.reserveCapacity(1024) }

    public enum Failure: Error, CustomStringConvertible {
        case notANumber(Double)
        public var description: String {
            switch self {
            case .notANumber(let value): "\(value) cannot be written as a JSON number"
            }
        }
    }

    public mutating func object(_ body: (inout JSONTextWriter) throws -> Void) rethrows {
        separate()
        bytes.append(UInt8(ascii: "{"))
        afterValue = false
        try body(&self)
        bytes.append(UInt8(ascii: "}"))
        afterValue = true
    }

    public mutating func array<S: Sequence>(
        _ elements: S, _ element: (inout JSONTextWriter, S.Element) throws -> Void
    ) rethrows {
        separate()
        bytes.append(UInt8(ascii: "["))
        afterValue = false
        for item in elements { try element(&self, item) }
        bytes.append(UInt8(ascii: "]"))
        afterValue = true
    }

    /// Writes a key; the next call writes its value.
    public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        afterValue = false
    }

    public mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        afterValue = true
    }

    public mutating func number(_ value: Int) {
        separate()
        append(String(value))
        afterValue = true
    }

    public mutating func number(_ value: Double) throws {
        guard value.isFinite else { throw Failure.notANumber(value) }
        separate()
        let written = value.description
        append(written.hasSuffix(".0") ? written.dropLast(2) : written[...])
        afterValue = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        append(value ? "true" : "false")
        afterValue = true
    }

    public mutating func null() {
        separate()
        append("null")
        afterValue = true
    }

    /// A string or `null`, for a property written even when nil.
    public mutating func stringOrNull(_ value: String?) {
        guard let value else { return null() }
        string(value)
    }

    public mutating func value(_ value: some JSONTextEncodable) throws {
        try value.writeJSON(to: &self)
    }

    public mutating func field(_ name: String, _ value: Int) {
        key(name)
        number(value)
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// `key` and its value, or nothing when the value is nil (what synthesized `Codable` does).
    public mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func field(_ name: String, _ value: Double?) throws {
        guard let value else { return }
        key(name)
        try number(value)
    }

    public mutating func field(_ name: String, _ value: (some JSONTextEncodable)?) throws {
        guard let value else { return }
        key(name)
        try value.writeJSON(to: &self)
    }

    /// A dictionary as an object, its keys sorted.
    public mutating func dictionary<V>(
        _ entries: [String: V], _ value: (inout JSONTextWriter, V) throws -> Void
    ) rethrows {
        try object { writer in
            for (name, item) in entries.sorted(by: { $0.key < $1.key }) {
                writer.key(name)
                try value(&writer, item)
            }
        }
    }

    private mutating func append(_ piece: some StringProtocol) {
        bytes.append(contentsOf: piece.utf8)
    }

    private mutating func separate() {
        if afterValue { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendQuoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: value.utf8)
        } else {
            for scalar in value.unicodeScalars { appendEscaped(scalar) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ scalar: Unicode.Scalar) {
        switch scalar {
        case "\"": append("\\\"")
        case "\\": append("\\\\")
        case "\n": append("\\n")
        case "\r": append("\\r")
        case "\t": append("\\t")
        case "\u{08}": append("\\b")
        case "\u{0C}": append("\\f")
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
        default: UTF8.encode(scalar) { bytes.append($0) }
        }
    }
}
