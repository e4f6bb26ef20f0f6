import Foundation

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
public struct EventEnvelope: Codable, Sendable, Equatable {
    public let id: EventID
    public let type: EventType
    public let version: Int
    public let occurredAt: Date
    public let traceID: String
    public let userID: UserID
    public let payload: String

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
            id: id, type: P.eventType, version: P.version, occurredAt: occurredAt, traceID: traceID,
            userID: userID, payload: try EventCoding.encodeToString(payload))
    }

    /// Decodes the payload as `P`; fails with a clear error if the envelope carries another event type.
    public func decode<P: EventPayload>(_: P.Type) throws -> P {
        guard type == P.eventType else {
            throw EventDecodingError.typeMismatch(expected: P.eventType, actual: type)
        }
        return try EventCoding.decoder.decode(P.self, from: Data(payload.utf8))
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
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }
}
