import Foundation
import SQLKit
import SelfologyCore

/// A service's reaction to the events of its consumer group. It changes its own state through `context.db` and
/// emits events through `context.emit`; both are committed together, with the idempotency mark, or not at all.
public protocol EventHandler: Sendable {
    var group: ConsumerGroup { get }
    /// Work that must not hold a transaction open: calls to language models and other remote services, and the
    /// reads they need. The runtime calls it before the transaction, concurrently for the events of a batch and
    /// only for events this group has not applied yet; the result reaches `handle` as `context.prepared`.
    /// It must not change the store: if the transaction fails, it runs again.
    func prepare(_ event: EventEnvelope, store: any Database) async throws -> (any Sendable)?
    /// Whether `prepare` does anything; the runtime then also looks up which events were applied before, so a
    /// redelivered event costs no model call.
    var preparesOutsideTransaction: Bool { get }
    func handle(_ event: EventEnvelope, context: HandlerContext) async throws
    /// Applies the events of one transaction in order, each with its own context (the default: one `handle`
    /// after the other). A handler whose events read and write the same kind of row overrides it to read all
    /// the batch's rows in one statement and write them in one: each statement costs a round trip on PostgreSQL
    /// and a turn of the writer on SQLite.
    func handle(batch: [BatchItem]) async throws
    /// The tables where this group keeps rows about people: what /forget deletes and /mydata copies.
    var personalTables: [PersonalTable] { get }
    /// Deletes everything this group keeps about the person, who confirmed /forget (`user.erasure.requested`), in
    /// the transaction of `context`. The runtime records the erasure, so the person's earlier work that arrives
    /// later is dropped before it reaches `handle`. The default deletes the rows of `personalTables`; a group that
    /// also remembers people in memory forgets them there too.
    func forget(_ user: UserID, context: HandlerContext) async throws
}

/// One event of a batch with the context it is applied in.
public typealias BatchItem = (event: EventEnvelope, context: HandlerContext)

extension EventHandler {
    public func prepare(_ event: EventEnvelope, store: any Database) async throws -> (any Sendable)? { nil }
    public var preparesOutsideTransaction: Bool { false }
    public var personalTables: [PersonalTable] { [] }

    public func forget(_ user: UserID, context: HandlerContext) async throws {
        try await PersonalRows.delete(user, from: personalTables, in: context.db)
    }

    /// Answers /mydata (`user.data.requested`): emits every row of `personalTables` about the person, as of this
    /// transaction, for the gateway to put into their copy.
    func collect(_ user: UserID, context: HandlerContext) async throws {
        let tables = try await PersonalRows.copy(of: user, from: personalTables, in: context.db)
        try context.emit(UserDataCollected(group: group, tables: tables), for: user)
    }

    public func handle(batch: [BatchItem]) async throws {
        for (event, context) in batch { try await handle(event, context: context) }
    }

    /// Applies a batch in order: each longest stretch of events of `types` at once (`bulk`), every other event on
    /// its own (`handle`). For a handler whose frequent events write rows in bulk while a rare one reads what they
    /// wrote: the rare one ends the stretch, so it sees the stretch's rows written.
    func handle(
        batch: [BatchItem], stretchesOf types: Set<EventType>, bulk: ([BatchItem]) async throws -> Void
    ) async throws {
        var stretch: [BatchItem] = []
        for item in batch {
            if types.contains(item.event.type) {
                stretch.append(item)
                continue
            }
            if !stretch.isEmpty { try await bulk(stretch) }
            stretch = []
            try await handle(item.event, context: item.context)
        }
        if !stretch.isEmpty { try await bulk(stretch) }
    }
}

/// What a handler may touch while applying one event: the transaction, the time, and the outbox.
public final class HandlerContext {
    public let db: any SQLDatabase
    public let now: Date
    /// The event being applied (its id is the trigger of what follows; its trace id is inherited).
    public let cause: EventEnvelope?
    /// What the handler's `prepare` produced for this event, if anything.
    public let prepared: (any Sendable)?
    private let factory: EventFactory
    private(set) var emitted: [EventEnvelope] = []
    /// Work that must only happen if the transaction committed (for example: remembering what it wrote).
    private(set) var afterCommit: [@Sendable () -> Void] = []

    public init(
        db: any SQLDatabase, now: Date, cause: EventEnvelope?, prepared: (any Sendable)? = nil, factory: EventFactory
    ) {
        self.db = db
        self.now = now
        self.cause = cause
        self.prepared = prepared
        self.factory = factory
    }

    /// Queues an event for the outbox of this transaction.
    public func emit<P: EventPayload>(_ payload: P, for user: UserID) throws {
        emitted.append(try factory.make(payload, for: user, trace: cause?.traceID))
    }

    /// Queues an event whose payload was encoded before the transaction.
    public func emit<P: EventPayload>(_ encoded: EncodedPayload<P>, for user: UserID) {
        emitted.append(factory.make(encoded, for: user, trace: cause?.traceID))
    }

    public func emit(_ payloads: [any EventPayload], for user: UserID) throws {
        for payload in payloads { try emit(payload, for: user) }
    }

    public func onCommit(_ work: @escaping @Sendable () -> Void) { afterCommit.append(work) }
}
