import SelfologyCore

/// The envelopes this process has read from an external bus, so that its consumer groups share one decoded
/// payload per event. On Redis every group reads its own copy of each entry, and each decoded the payload
/// again: a profile.updated, whole profile inside, three times in one process running all services (7% of that
/// process's CPU went to decoding events). A group that reads an event another group of the process read first
/// gets that envelope, payload decoded once for both.
///
/// Only an envelope with the same id and the same content is shared; bounded like every memo here, so a miss
/// costs only a decode.
public final class SharedEnvelopes: Sendable {
    private let seen: BoundedMemo<EventID, EventEnvelope>

    public init(capacity: Int = 8192) {
        seen = BoundedMemo(capacity: capacity)
    }

    /// The envelope read before with this id and content, or this one, remembered for the next reader.
    public func shared(_ envelope: EventEnvelope) -> EventEnvelope {
        if let known = seen.value(for: envelope.id), known == envelope { return known }
        seen.remember(envelope, for: envelope.id)
        return envelope
    }
}
