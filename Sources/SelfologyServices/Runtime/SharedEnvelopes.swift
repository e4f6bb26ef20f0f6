import SelfologyCore

/// The envelopes this process has read from an external bus, so that its consumer groups share one decoded
/// payload per event. On Redis every group reads its own copy of each entry, and each decoded the payload
/// again: a profile.updated, whole profile inside, three times in one process running all services (7% of that
/// process's CPU went to decoding events). A group that reads an event another group of the process read first
/// gets that envelope, payload decoded once for both.
///
/// Only an envelope with the same id and the same content is shared; bounded like every memo here, so a miss
/// costs only a decode.
///
/// The envelopes this process commits are remembered too, as the bus will deliver them (`asDelivered`): a group
/// that reads an event its own process produced then finds the payload decoded already, as on the in-process bus.
public final class SharedEnvelopes: CommittedEnvelopes {
    private struct Known {
        let envelope: EventEnvelope
        /// Committed by this process: the store may have rewritten its payload's text (PostgreSQL's JSONB orders
        /// keys), so it matches a delivered copy by everything but that text.
        let committedHere: Bool
    }

    private let seen: BoundedMemo<EventID, Known>
    private let asDelivered: @Sendable (EventEnvelope) -> EventEnvelope

    public init(capacity: Int = 8192, asDelivered: @escaping @Sendable (EventEnvelope) -> EventEnvelope = { $0 }) {
        seen = BoundedMemo(capacity: capacity)
        self.asDelivered = asDelivered
    }

    public func remember(_ envelopes: [EventEnvelope]) {
        for envelope in envelopes {
            seen.remember(Known(envelope: asDelivered(envelope), committedHere: true), for: envelope.id)
        }
    }

    /// The envelope read before with this id and content, or this one, remembered for the next reader.
    public func shared(_ envelope: EventEnvelope) -> EventEnvelope {
        if let known = seen.value(for: envelope.id) {
            let same =
                known.committedHere
                ? Self.sameEvent(known.envelope, envelope) : known.envelope == envelope
            if same { return known.envelope }
        }
        seen.remember(Known(envelope: envelope, committedHere: false), for: envelope.id)
        return envelope
    }

    private static func sameEvent(_ lhs: EventEnvelope, _ rhs: EventEnvelope) -> Bool {
        (lhs.id, lhs.type, lhs.version, lhs.occurredAt) == (rhs.id, rhs.type, rhs.version, rhs.occurredAt)
            && (lhs.traceID, lhs.userID) == (rhs.traceID, rhs.userID)
    }
}
