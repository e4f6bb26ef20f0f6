import Foundation
import Synchronization

/// The name of an event, as it travels on the bus ("user.answer.submitted").
public struct EventType: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// A typed event body. Each payload type names the event it travels in and its schema version.
public protocol EventPayload: Codable, Sendable {
    static var eventType: EventType { get }
    static var version: Int { get }
}

extension EventPayload {
    public static var version: Int { 1 }
}

/// The envelope every event travels in (DESIGN §3). The payload is kept as JSON text so that the bus, the outbox
/// and the relay move events without knowing their types.
///
/// Copies of an envelope share the payload once decoded: on the in-process bus every consumer group receives the
/// same envelope, so a profile.updated is decoded once, not once per group, and the consumer runtime decodes it
/// (`decodePayload`) before it takes the store's lock rather than inside the transaction.
public struct EventEnvelope: Codable, Sendable, Equatable {
    public let id: EventID
    public let type: EventType
    public let version: Int
    public let occurredAt: Date
    public let traceID: String
    public let userID: UserID
    public let payload: String
    private var decoded = DecodedPayload()

    enum CodingKeys: String, CodingKey {
        case id, type, version, payload
        case occurredAt = "occurred_at"
        case traceID = "trace_id"
        case userID = "user_id"
    }

    public init(
        id: EventID, type: EventType, version: Int, occurredAt: Date, traceID: String, userID: UserID,
        payload: String
    ) {
        self.id = id
        self.type = type
        self.version = version
        self.occurredAt = occurredAt
        self.traceID = traceID
        self.userID = userID
        self.payload = payload
    }

    public init<P: EventPayload>(
        id: EventID, occurredAt: Date, traceID: String, userID: UserID, payload: P
    ) throws {
        self.init(
            id: id, occurredAt: occurredAt, traceID: traceID, userID: userID, encoded: try EncodedPayload(payload))
    }

    public init<P: EventPayload>(
        id: EventID, occurredAt: Date, traceID: String, userID: UserID, encoded: EncodedPayload<P>
    ) {
        self.init(
            id: id, type: P.eventType, version: P.version, occurredAt: occurredAt, traceID: traceID,
            userID: userID, payload: encoded.json)
        decoded.value = encoded.payload
    }

    /// This envelope with its time as a transport that keeps less precision delivers it, and the payload as
    /// decoded here.
    public func occurring(at time: Date) -> EventEnvelope {
        var copy = EventEnvelope(
            id: id, type: type, version: version, occurredAt: time, traceID: traceID, userID: userID, payload: payload)
        copy.decoded = decoded
        return copy
    }

    /// Decodes the payload as `P`; fails with a clear error if the envelope carries another event type.
    public func decode<P: EventPayload>(_: P.Type) throws -> P {
        guard type == P.eventType else {
            throw EventDecodingError.typeMismatch(expected: P.eventType, actual: type)
        }
        if let cached = decoded.value as? P { return cached }
        let value = try EventCoding.decoder.decode(P.self, from: Data(payload.utf8))
        decoded.value = value
        return value
    }

    /// Whether the payload is decoded already (the envelope was made from a payload, or a copy of it decoded it),
    /// so that `decode` costs no JSON parsing.
    public var hasDecodedPayload: Bool { decoded.value != nil }

    /// Decodes the payload as the catalog's type for this event, so that later `decode` calls find it done. An
    /// unknown type or a payload that does not decode is left for `decode` to report where it is handled.
    public func decodePayload() {
        guard let payloadType = EventCatalog.payloadTypes[type] else { return }
        _ = try? decode(payloadType)
    }

    public static func == (lhs: EventEnvelope, rhs: EventEnvelope) -> Bool {
        (lhs.id, lhs.type, lhs.version, lhs.occurredAt) == (rhs.id, rhs.type, rhs.version, rhs.occurredAt)
            && (lhs.traceID, lhs.userID, lhs.payload) == (rhs.traceID, rhs.userID, rhs.payload)
    }
}

/// A payload with its JSON text, encoded ahead of the transaction that emits it: a handler that can compute an
/// event before its transaction (a profile merge) keeps the encoding, the costly part, out of it.
public struct EncodedPayload<P: EventPayload>: Sendable {
    public let payload: P
    public let json: String

    public init(_ payload: P) throws {
        self.payload = payload
        json = try EventCoding.encodeToString(payload)
    }
}

/// The payload of an envelope once decoded, shared by the envelope's copies. Two consumers decoding at the same
/// moment both decode and store equal values, which costs only the time.
private final class DecodedPayload: Sendable {
    private let storage = Mutex<(any Sendable)?>(nil)

    var value: (any Sendable)? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

public enum EventDecodingError: Error, Equatable, CustomStringConvertible {
    case typeMismatch(expected: EventType, actual: EventType)

    public var description: String {
        switch self {
        case .typeMismatch(let expected, let actual): "expected a \(expected) event, got \(actual)"
        }
    }
}

/// One JSON configuration for every event body, so producers and consumers agree byte for byte.
public enum EventCoding {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }

    public static func encodeToString<T: Encodable>(_ value: T) throws -> String {
        if let value = value as? any JSONTextEncodable {
            var writer = JSONTextWriter()
            try value.writeJSON(to: &writer)
            return writer.text
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }
}
