import Foundation
import SQLKit
import SelfologyCore

/// How a transaction's events reach the outbox and, once it has committed, the relay: one way for a consumer's
/// batch (`ConsumerRunner`) and for any other transaction (`OutboxTransaction`).
struct OutboxHandover: Sendable {
    let outboxSignal: WakeSignal
    let committed: (any CommittedEnvelopes)?

    /// Appends the events in the transaction, leased to this process's relay when it takes them straight from
    /// memory (`RelayHandoff`); returns whether they were.
    func append(_ emitted: [EventEnvelope], now: Date, in db: any SQLDatabase) async throws -> Bool {
        let lease = committed?.outboxLease(now: now)
        try await OutboxStore.append(emitted, now: now, leasedUntil: lease, in: db)
        return lease != nil
    }

    /// After the commit, never before: a rolled-back event must not be published, nor its work done.
    func afterCommit(emitted: [EventEnvelope], leased: Bool, work: [@Sendable () -> Void]) {
        committed?.remember(emitted)
        for item in work { item() }
        // Leased rows reach the relay through `remember`; only others need it to look at the table.
        if !emitted.isEmpty && !leased { outboxSignal.notify() }
    }
}
