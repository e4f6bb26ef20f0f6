import Foundation
import SQLKit
import SelfologyCore

/// A transaction that is not the application of a consumed event (a person's input, a timer), but that still
/// writes its state change and its events together through the outbox.
public struct OutboxTransaction: Sendable {
    let database: any Database
    let factory: EventFactory
    let outboxSignal: WakeSignal

    public init(database: any Database, factory: EventFactory, outboxSignal: WakeSignal) {
        self.database = database
        self.factory = factory
        self.outboxSignal = outboxSignal
    }

    public func run<T: Sendable>(_ body: @escaping @Sendable (HandlerContext) async throws -> T) async throws -> T {
        let factory = self.factory
        let (value, emitted, signals, work) = try await database.transaction { db in
            let context = HandlerContext(db: db, now: factory.clock.now(), cause: nil, factory: factory)
            let value = try await body(context)
            try await context.flush()
            if !context.emitted.isEmpty { try await OutboxStore.notifyRelays(in: db) }
            return (value, context.emitted.count, context.wakeAfterCommit, context.afterCommit)
        }
        for item in work { item() }
        if emitted > 0 { outboxSignal.notify() }
        for signal in signals { signal.notify() }
        return value
    }
}
