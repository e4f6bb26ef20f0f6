import Foundation
import SelfologyCore

/// An event envelope as the fields of a stream entry.
enum StreamEnvelope {
    static func fields(of envelope: EventEnvelope) -> [(String, String)] {
        [
            ("id", envelope.id.rawValue), ("type", envelope.type.rawValue), ("version", String(envelope.version)),
            ("occurred_at", String(milliseconds(envelope.occurredAt))),
            ("trace_id", envelope.traceID), ("user_id", envelope.userID.rawValue), ("payload", envelope.payload),
        ]
    }

    static func envelope(from fields: [String: String]) -> EventEnvelope? {
        guard let id = fields["id"], let type = fields["type"], let version = fields["version"].flatMap(Int.init),
            let millis = fields["occurred_at"].flatMap(Int64.init), let trace = fields["trace_id"],
            let user = fields["user_id"], let payload = fields["payload"]
        else { return nil }
        return EventEnvelope(
            id: EventID(id), type: EventType(rawValue: type), version: version,
            occurredAt: date(milliseconds: millis), traceID: trace, userID: UserID(user), payload: payload)
    }

    /// The envelope as a reader of its entry gets it: equal to `envelope(from: fields(of: envelope))`, with the
    /// payload as decoded in `envelope`.
    static func asDelivered(_ envelope: EventEnvelope) -> EventEnvelope {
        envelope.occurring(at: date(milliseconds: milliseconds(envelope.occurredAt)))
    }

    private static func milliseconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970 * 1000) }
    private static func date(milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
