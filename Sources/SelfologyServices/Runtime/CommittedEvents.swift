import Foundation
import SelfologyCore

/// The events this process committed to the outbox, kept until its relay reads them back. The relay publishes
/// the kept envelopes instead of the ones it rebuilt from the rows, and the in-process bus hands them to every
/// consumer group with their payloads still decoded: rebuilt envelopes made each event's payload be decoded
/// again from JSON, 8% of the embedded runtime's CPU.
///
/// Only for a relay in the same process as every producer (the in-process bus): elsewhere the rows are read by
/// another process's relay and nothing would be taken. It is bounded all the same, because an event can be
/// relayed before its producer gets to remember it (the relay reads once the transaction committed, the
/// producer remembers right after), and such an entry is never taken: the oldest entries are dropped in halves.
public final class CommittedEvents: CommittedEnvelopes {
    private let kept: BoundedMemo<EventID, EventEnvelope>

    /// At most `capacity` envelopes are kept; beyond that, the relay rebuilds (and consumers decode) them.
    public init(capacity: Int = 8192) {
        kept = BoundedMemo(capacity: capacity)
    }

    /// Call after the transaction that wrote them committed, never before: a rolled-back event must not be
    /// published.
    public func remember(_ envelopes: [EventEnvelope]) {
        for envelope in envelopes { kept.remember(envelope, for: envelope.id) }
    }

    /// The kept envelope with this id (what its outbox row holds, payload decoded), forgotten once taken.
    func take(_ id: EventID) -> EventEnvelope? {
        kept.take(id)
    }

    var count: Int { kept.count }
}

/// Where a process puts the envelopes it has just committed to the outbox, payloads decoded, so that its own
/// consumers need not decode them again: the relay's kept envelopes on the in-process bus, the envelopes shared
/// among consumer groups on Redis (`SharedEnvelopes`).
public protocol CommittedEnvelopes: Sendable {
    /// Call after the transaction that wrote them committed, never before.
    func remember(_ envelopes: [EventEnvelope])
    /// Until when a transaction starting `now` leases its outbox rows to this process's relay (`RelayHandoff`),
    /// or nil to leave them for any relay's scan.
    func outboxLease(now: Date) -> Date?
}

extension CommittedEnvelopes {
    public func outboxLease(now: Date) -> Date? { nil }
}
