import Foundation
import Logging
import SelfologyCore
import ServiceLifecycle

public struct ConsumerSettings: Sendable {
    /// Events applied per transaction; batching is what makes the store's commit cost affordable.
    public var batchSize = 64
    public var readWait: Duration = .seconds(1)
    /// Attempts at one event (its deliveries, then retries in place) before it is set aside as a dead letter.
    public var maxAttempts = 5
    /// The pause before retrying a failed event in place.
    public var retryDelay: Duration = .seconds(1)
    /// Batches in flight at once (one applied, the others preparing) for a handler that prepares outside the
    /// transaction; a handler that does not reads one batch at a time.
    public var batchesInFlight = 32
    /// How long a group pauses after applying a batch of background work that was not full, so that its next
    /// batch holds more events (`lingerAfter`). Zero turns it off.
    public var backgroundLinger: Duration = .milliseconds(100)

    public init() {}
}

/// Drives one consumer group: read a batch, apply it in one transaction (skipping events already applied),
/// commit, then ack. A crash anywhere before the ack means redelivery, and the idempotency marks make that
/// harmless. If a batch fails, its events are applied one by one, each retried in place up to `maxAttempts` and
/// then set aside as a dead letter, so one bad event cannot block the others for long nor be overtaken.
/// A handler that calls models prepares later batches while one is applied (`PreparationPipeline`).
public final class ConsumerRunner: Service {
    public let handler: any EventHandler
    let bus: any EventBus
    let database: any Database
    let factory: EventFactory
    let handover: OutboxHandover
    let settings: ConsumerSettings
    let consumerName: String
    let logger: Logger

    public init(
        handler: any EventHandler, bus: any EventBus, database: any Database, factory: EventFactory,
        outboxSignal: WakeSignal, committed: (any CommittedEnvelopes)? = nil, consumerName: String,
        settings: ConsumerSettings = .init(), logger: Logger
    ) {
        self.handler = handler
        self.bus = bus
        self.database = database
        self.factory = factory
        handover = OutboxHandover(outboxSignal: outboxSignal, committed: committed)
        self.consumerName = consumerName
        self.settings = settings
        var logger = logger
        logger[metadataKey: "group"] = "\(handler.group.rawValue)"
        self.logger = logger
    }

    public func run() async throws {
        let consumer = try await bus.consumer(
            group: handler.group, name: consumerName, types: EventCatalog.subscriptions(of: handler.group))
        if handler.preparesOutsideTransaction {
            await readPreparingAhead(from: consumer)
        } else {
            await readAndApply(from: consumer)
        }
        await consumer.stop()
    }

    /// For a handler that prepares nothing outside the transaction: read, apply, ack, in one loop. The pipeline
    /// would hold such a batch alone anyway, and its stream and two tasks per batch were pure overhead.
    private func readAndApply(from consumer: any EventConsumer) async {
        while let deliveries = await nextBatch(from: consumer) {
            // Decoded before the transaction: on SQLite, outside the one writer's turn.
            for delivery in deliveries { delivery.envelope.decodePayload() }
            await finish(deliveries, prepared: [:], consumer: consumer)
            await lingerAfter(deliveries)
        }
    }

    /// For a handler that prepares outside the transaction (model calls): later batches are read and prepared
    /// while one is applied, in read order (`PreparationPipeline`); on graceful shutdown those in hand finish.
    private func readPreparingAhead(from consumer: any EventConsumer) async {
        let pipeline = PreparationPipeline(depth: settings.batchesInFlight)
        let (batches, queue) = AsyncStream<PreparationPipeline.Batch>.makeStream()
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await batch in batches {
                    await self.finish(batch.deliveries, prepared: await batch.preparation.value, consumer: consumer)
                    pipeline.finished(batch)
                }
            }
            while true {
                await pipeline.waitForSlot()
                guard let deliveries = await nextBatch(from: consumer) else { break }
                queue.yield(
                    pipeline.start(deliveries) { after in
                        // Decoding here, not in `handle`, keeps it out of the transaction (on SQLite, out of the
                        // one writer's turn) and lets it run beside the batch being applied.
                        for delivery in deliveries { delivery.envelope.decodePayload() }
                        return await self.prepare(deliveries, after: after)
                    })
                await lingerAfter(deliveries)
            }
            queue.finish()
        }
    }

    /// The next batch of events, or nil at graceful shutdown. A read waits at most `readWait`, so it is not cut
    /// short at shutdown: wrapping each in `cancelWhenGracefulShutdown` cost two child tasks per read.
    private func nextBatch(from consumer: any EventConsumer) async -> [Delivery]? {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let deliveries = try await consumer.read(max: settings.batchSize, wait: settings.readWait)
                if !deliveries.isEmpty { return deliveries }
            } catch is CancellationError {
                return nil
            } catch {
                // The bus is unreachable for now (a Redis restart, a network blip): wait and read again. Ending
                // the service here would take the whole process down with it.
                logger.warning("reading events failed; retrying", metadata: ["error": "\(error)"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.settings.retryDelay) }
            }
        }
        return nil
    }

    /// Background work (deep analysis and what it feeds) waits a moment after a batch that was not full, so that
    /// its next batch holds the events that came meanwhile. At light load every event was a transaction of its
    /// own, and those transactions took the CPU and the store that a waiting person's feedback needs; they are
    /// now a few events each. Background results come that much later; a batch a person waits on (a coach
    /// reply, /profile) is not followed by a pause, though it may wait for one in progress.
    private func lingerAfter(_ deliveries: [Delivery]) async {
        guard settings.backgroundLinger > .zero, deliveries.count < settings.batchSize,
            handler.group.urgency(of: deliveries) == .background
        else { return }
        try? await Task.sleep(for: settings.backgroundLinger)
    }

    /// Prepares, applies and acknowledges a batch; exposed for tests that drive a consumer step by step.
    public func process(_ deliveries: [Delivery], consumer: any EventConsumer) async {
        await finish(deliveries, prepared: await prepare(deliveries), consumer: consumer)
    }

    /// Applies and acknowledges a prepared batch; if that fails, one event at a time.
    private func finish(_ deliveries: [Delivery], prepared: Preparations, consumer: any EventConsumer) async {
        var prepared = prepared
        do {
            try await apply(deliveries, prepared: prepared)
            try await consumer.ack(deliveries)
            return
        } catch {
            logger.warning(
                "batch failed, retrying one by one", metadata: ["size": "\(deliveries.count)", "error": "\(error)"])
        }
        for delivery in deliveries {
            await settle(delivery, prepared: &prepared, consumer: consumer)
        }
    }

    /// Applies one event, retrying it in place until it is applied or has used its attempts and is set aside.
    /// Retrying in place, rather than handing it back to the bus and going on, is what keeps a person's later
    /// events from being applied before it; the cost is that this consumer waits `retryDelay` per failed attempt.
    private func settle(_ delivery: Delivery, prepared: inout Preparations, consumer: any EventConsumer) async {
        var attempt = delivery.attempt
        while true {
            do {
                // Keep what was prepared well; only a failed preparation is worth a second try.
                if case .failure = prepared[delivery.envelope.id] {
                    prepared.merge(await prepare([delivery])) { $1 }
                }
                try await apply([delivery], prepared: prepared)
                try await consumer.ack([delivery])
                return
            } catch {
                let current = Delivery(envelope: delivery.envelope, tag: delivery.tag, attempt: attempt)
                guard attempt < settings.maxAttempts, !Task.isShuttingDownGracefully, !Task.isCancelled else {
                    await handleFailure(of: current, error: error, consumer: consumer)
                    return
                }
                logger.warning("event failed, retrying", metadata: Self.metadata(of: current, error: error))
                try? await Task.sleep(for: settings.retryDelay)
                attempt += 1
            }
        }
    }

    /// Runs the handler's `prepare` outside any transaction for the events not applied before: different people
    /// concurrently, one person's events in order (a person's mirror writes must not overtake each other), each
    /// person once the earlier batch holding them (`after`) is applied.
    private func prepare(_ deliveries: [Delivery], after: [UserID: Task<Void, Never>] = [:]) async -> Preparations {
        guard handler.preparesOutsideTransaction else { return [:] }
        let handler = self.handler
        let database = self.database
        let applied = await alreadyApplied(deliveries)
        var perPerson: [UserID: [EventEnvelope]] = [:]
        for delivery in deliveries where !applied.contains(delivery.envelope.id) {
            perPerson[delivery.envelope.userID, default: []].append(delivery.envelope)
        }
        typealias Prepared = [(EventID, Result<(any Sendable)?, any Error>)]
        return await withTaskGroup(of: Prepared.self) { group in
            for (person, events) in perPerson {
                group.addTask {
                    await after[person]?.value
                    var results: Prepared = []
                    for envelope in events {
                        do {
                            results.append(
                                (envelope.id, .success(try await handler.prepare(envelope, store: database))))
                        } catch { results.append((envelope.id, .failure(error))) }
                    }
                    return results
                }
            }
            var results: Preparations = [:]
            for await prepared in group {
                for (id, result) in prepared { results[id] = result }
            }
            return results
        }
    }

    /// Which of these events this group applied before. A first delivery is almost never applied already (only
    /// a relay that crashed between publishing and marking publishes an event twice), and the transaction still
    /// applies it once: skipping the lookup then keeps a store round trip off every answer's way to its feedback.
    private func alreadyApplied(_ deliveries: [Delivery]) async -> Set<EventID> {
        guard deliveries.contains(where: { $0.attempt > 1 }) else { return [] }
        let (group, ids) = (handler.group, deliveries.map(\.envelope.id))
        do {
            return try await database.read(urgency: group.urgency(of: deliveries)) { db in
                try await ProcessedEvents.applied(ids, by: group, in: db)
            }
        } catch {
            // Preparing an applied event again only costs time; the transaction still applies it once.
            return []
        }
    }

    private func apply(_ deliveries: [Delivery], prepared: Preparations) async throws {
        let started = ContinuousClock.now
        let (handler, factory, handover) = (self.handler, self.factory, self.handover)
        let committed = try await database.transaction(urgency: handler.group.urgency(of: deliveries)) {
            db -> (emitted: [EventEnvelope], leased: Bool, work: [@Sendable () -> Void]) in
            var emitted: [EventEnvelope] = []
            var work: [@Sendable () -> Void] = []
            // One statement claims the whole batch; an event delivered twice in it is applied once.
            var unapplied = try await ProcessedEvents.claim(
                deliveries.map(\.envelope), for: handler.group, now: factory.clock.now(), in: db)
            var batch: [BatchItem] = []
            for delivery in deliveries {
                guard unapplied.remove(delivery.envelope.id) != nil else { continue }
                let context = HandlerContext(
                    db: db, now: factory.clock.now(), cause: delivery.envelope,
                    prepared: try prepared[delivery.envelope.id]?.get(), factory: factory)
                batch.append((delivery.envelope, context))
            }
            try await Self.handle(batch, by: handler)
            for (_, context) in batch {
                emitted += context.emitted
                work += context.afterCommit
            }
            // The batch's events go to the outbox together, in the order they were emitted: one statement per
            // batch instead of one per event, the most frequent statement on SQLite's one writer.
            let leased = try await handover.append(emitted, now: factory.clock.now(), in: db)
            return (emitted, leased, work)
        }
        handover.afterCommit(emitted: committed.emitted, leased: committed.leased, work: committed.work)
        logger.trace(
            "applied", metadata: ["events": "\(deliveries.count)", "elapsed": "\(ContinuousClock.now - started)"])
    }

    /// Applies a batch through the handler, an erasure on its own: the group forgets the person and records it, so
    /// their earlier work delivered later is not claimed (`PersonErasure`). Such work that came in this very
    /// batch, behind the erasure, was claimed with it and is dropped here. A request for the person's data is
    /// answered by the runtime too, from the handler's `personalTables`.
    static func handle(_ batch: [BatchItem], by handler: any EventHandler) async throws {
        var stretch: [BatchItem] = []
        var erasures: [UserID: String] = [:]
        for item in batch {
            let (event, context) = item
            if let erased = erasures[event.userID], event.traceID < erased { continue }
            guard event.type == .userErasureRequested || event.type == .userDataRequested else {
                stretch.append(item)
                continue
            }
            // The batch's earlier events first: the erasure deletes, and the copy holds, what they wrote.
            if !stretch.isEmpty { try await handler.handle(batch: stretch) }
            stretch = []
            if event.type == .userDataRequested {
                try await handler.collect(event.userID, context: context)
            } else {
                try await handler.forget(event.userID, context: context)
                try await PersonErasure.record(
                    event.userID, trace: event.traceID, group: handler.group, now: context.now, in: context.db)
                erasures[event.userID] = event.traceID
            }
        }
        if !stretch.isEmpty { try await handler.handle(batch: stretch) }
    }

    /// Ids, type and attempt of a failed event, never its payload.
    private static func metadata(of delivery: Delivery, error: any Error) -> Logger.Metadata {
        [
            "event_id": "\(delivery.envelope.id)", "event_type": "\(delivery.envelope.type)",
            "attempt": "\(delivery.attempt)", "error": "\(error)",
        ]
    }

    /// Sets an event that used its attempts aside as a dead letter; one cut short by shutdown goes back to the bus.
    private func handleFailure(of delivery: Delivery, error: any Error, consumer: any EventConsumer) async {
        let metadata = Self.metadata(of: delivery, error: error)
        do {
            if delivery.attempt >= settings.maxAttempts {
                logger.error("event set aside as dead letter", metadata: metadata)
                let group = handler.group
                let now = factory.clock.now()
                try await database.transaction { db in
                    try await ProcessedEvents.recordDeadLetter(
                        delivery, group: group, error: "\(error)", now: now, in: db)
                }
                try await consumer.ack([delivery])
            } else {
                logger.warning("event handed back for redelivery", metadata: metadata)
                try await consumer.release([delivery], delay: settings.retryDelay)
            }
        } catch {
            logger.error("could not settle failed event", metadata: metadata.merging(["cause": "\(error)"]) { $1 })
        }
    }
}

extension ConsumerGroup {
    /// Whether a person waits on this group's transaction for these events (see `TransactionUrgency`). Deep
    /// analysis and everything it feeds (profiles, vectors, trait history, the coach's copies) run in the
    /// background, except a coach reply to a message and a profile asked for with /profile.
    func urgency(of deliveries: [Delivery]) -> TransactionUrgency {
        switch self {
        case .gateway, .sessionManagement, .questionSelection, .analysisInstant: .interactive
        case .analysisDeep, .profileStorage, .profileVectors, .traitEvolution, .coachInteraction:
            deliveries.contains { $0.envelope.type == .messageReceived || $0.envelope.type == .profileRequested }
                ? .interactive : .background
        }
    }
}
