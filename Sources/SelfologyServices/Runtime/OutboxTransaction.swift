import Foundation
import SQLKit
import SelfologyCore

/// A transaction that is not the application of a consumed event (a person's input, a timer), but that still
/// writes its state change and its events together through the outbox.
public struct OutboxTransaction: Sendable {
    let database: any Database
    let factory: EventFactory
    let outboxSignal: WakeSignal
    let committed: (any CommittedEnvelopes)?

    public init(
        database: any Database, factory: EventFactory, outboxSignal: WakeSignal,
        committed: (any CommittedEnvelopes)? = nil
    ) {
        self.database = database
        self.factory = factory
        self.outboxSignal = outboxSignal
        self.committed = committed
    }

    public func run<T: Sendable>(_ body: @escaping @Sendable (HandlerContext) async throws -> T) async throws -> T {
        let (factory, committed) = (self.factory, self.committed)
        let (value, emitted, leased, signals, work) = try await database.transaction { db in
            let context = HandlerContext(db: db, now: factory.clock.now(), cause: nil, factory: factory)
            let value = try await body(context)
            let lease = committed?.outboxLease(now: context.now)
            try await context.flush(leasedUntil: lease)
            return (value, context.emitted, lease != nil, context.wakeAfterCommit, context.afterCommit)
        }
        committed?.remember(emitted)
        for item in work { item() }
        // Leased rows reach the relay through `remember`; only others need it to look at the table.
        if !emitted.isEmpty && !leased { outboxSignal.notify() }
        for signal in signals { signal.notify() }
        return value
    }
}
