import Foundation
import SelfologyCore

/// Hands the events this process commits straight to its own relay, on PostgreSQL. The transaction writes their
/// outbox rows leased to this process (`next_attempt_at` a few seconds ahead, so no relay's scan takes them), and
/// after the commit the relay publishes them from memory and marks them published. That is one XADD between a
/// commit and its consumers, where a scan took BEGIN, the claiming UPDATE, the XADD and COMMIT, often after
/// waiting for the round in progress; and leased rows wake no other relay (the NOTIFY trigger skips them).
///
/// Rows are leased only while this process's relay runs (`selfology serve`): a process of another service leaves
/// them for the relay service to find. If the process dies between commit and publish, the lease runs out and
/// any relay's scan publishes them then: a delay of one lease, never a loss.
public final class RelayHandoff: CommittedEnvelopes {
    /// How long a row stays reserved for this process's relay.
    public let lease: TimeInterval
    private let next: (any CommittedEnvelopes)?
    /// Events committed and not yet taken by the relay; a look is a scan of the table, asked for by the poll,
    /// another process's rows (LISTEN), a full scan or a failed publish.
    private let events = Handover<EventEnvelope>()
    /// Wakes the relay for handed events and for scan requests alike.
    var signal: WakeSignal { events.signal }

    /// `next` also hears of every commit (the bus's shared envelopes, for instance).
    public init(lease: TimeInterval = 15, next: (any CommittedEnvelopes)? = nil) {
        self.lease = lease
        self.next = next
    }

    public func outboxLease(now: Date) -> Date? {
        events.running ? now.addingTimeInterval(lease) : nil
    }

    public func remember(_ envelopes: [EventEnvelope]) {
        next?.remember(envelopes)
        // Rows leased just before the relay stopped wait for their lease to run out.
        events.hand(envelopes)
    }

    func requestScan() { events.requestLook() }

    /// The events handed since the last call, in commit order, and whether the table needs a scan.
    func take() -> (events: [EventEnvelope], scan: Bool) {
        let (handed, look) = events.take()
        return (handed, look)
    }

    func relayStarted() { events.start() }

    /// After this no row is leased; the events handed before are returned for the relay's last publish.
    func relayStopped() -> [EventEnvelope] { events.stop() }
}
