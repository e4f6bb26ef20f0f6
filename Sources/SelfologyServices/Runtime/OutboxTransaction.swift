import Foundation
import SQLKit
import SelfologyCore

/// A transaction that is not the application of a consumed event (a person's input, a timer), but that still
/// writes its state change and its events together through the outbox.
public struct OutboxTransaction: Sendable {
    let database: any Database
    let factory: EventFactory
    let handover: OutboxHandover

    public init(
        database: any Database, factory: EventFactory, outboxSignal: WakeSignal,
        committed: (any CommittedEnvelopes)? = nil
    ) {
        self.database = database
        self.factory = factory
        handover = OutboxHandover(outboxSignal: outboxSignal, committed: committed)
    }

    public func run<T: Sendable>(_ body: @escaping @Sendable (HandlerContext) async throws -> T) async throws -> T {
        let (factory, handover) = (self.factory, self.handover)
        let (value, emitted, leased, work) = try await database.transaction { db in
            let context = HandlerContext(db: db, now: factory.clock.now(), cause: nil, factory: factory)
            let value = try await body(context)
            let leased = try await handover.append(context.emitted, now: context.now, in: db)
            return (value, context.emitted, leased, context.afterCommit)
        }
        handover.afterCommit(emitted: emitted, leased: leased, work: work)
        return value
    }
}
