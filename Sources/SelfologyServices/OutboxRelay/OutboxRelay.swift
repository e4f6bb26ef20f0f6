import Foundation
import Logging
import SelfologyCore
import ServiceLifecycle

public struct RelaySettings: Sendable {
    public var pollInterval: Duration = .seconds(1)
    public var batchSize = 100
    /// Wait before each retry of an event whose publish failed; after the last one the event is marked failed.
    public var backoff: [TimeInterval] = [1, 2, 4, 8, 16]
    /// Published rows are deleted after this long.
    public var retention: TimeInterval = 7 * 24 * 3600
    public var cleanupInterval: TimeInterval = 3600
    /// The least time between the starts of two rounds when woken by commits. Under load, commits then join a
    /// round instead of each paying for one (on PostgreSQL and Redis: four statements and a pipeline), which is
    /// what frees the machine to answer sooner; when commits are further apart than this, a round starts the
    /// moment one is signalled. Nil leaves it to the bus (`EventBus.relayRoundInterval`).
    public var minimumRoundInterval: Duration?
    /// How long the outbox rows of this process's commits are reserved for its own relay (`RelayHandoff`). If
    /// the process dies before publishing them, they go out this much later.
    public var handoffLease: TimeInterval = 15
    /// How long the marks of handed events gather before one statement writes them.
    public var markGathering: Duration = .milliseconds(20)

    public init() {}
}

/// Service 8: publishes the outbox to the bus. Polls every second, and is woken at once when a transaction in
/// this process has written events; publishes up to 100 per batch in order and marks them published. On
/// PostgreSQL the events this process commits come straight to it (`RelayHandoff`), and it scans the table
/// only for the rest: the poll, other processes' rows, retries.
public final class OutboxRelay: Service {
    let database: any Database
    let bus: any EventBus
    let clock: any WallClock
    let signal: WakeSignal
    let committed: CommittedEvents?
    let handoff: RelayHandoff?
    private let publishedMarks: CoalescedCalls<[EventID], Void>
    let settings: RelaySettings
    let logger: Logger

    public init(
        database: any Database, bus: any EventBus, clock: any WallClock, signal: WakeSignal,
        committed: CommittedEvents? = nil, handoff: RelayHandoff? = nil, settings: RelaySettings = .init(),
        logger: Logger
    ) {
        self.database = database
        self.bus = bus
        self.clock = clock
        self.signal = signal
        self.committed = committed
        self.handoff = handoff
        self.settings = settings
        self.logger = logger
        // Nobody waits on a mark: it only has to come before the lease ends. Marks gather for 20 ms and go
        // together, up to twenty publishes' worth in a statement; at light load each publish was a statement.
        publishedMarks = CoalescedCalls(maximumBatch: 20, gathering: settings.markGathering) { batches in
            let (events, now) = (batches.flatMap { $0 }, clock.now())
            try await database.autocommit { db in
                try await OutboxStore.markPublished(events: events, now: now, in: db)
            }
            return batches.map { _ in () }
        }
    }

    public func run() async throws {
        // With a handoff the relay waits on the handoff's signal, and what wakes `signal` (the poll, another
        // process's rows, this process's unleased rows) asks it for a scan.
        let poll = signal.ticking(every: settings.pollInterval)
        let scanRequests = handoff.map { handoff in
            Task { [signal] in
                while !Task.isCancelled {
                    await signal.wait()
                    handoff.requestScan()
                }
            }
        }
        defer {
            poll.cancel()
            scanRequests?.cancel()
        }
        handoff?.relayStarted()
        // Marks of handed events are written beside the next publish; the group ends once the last is written.
        await withDiscardingTaskGroup { marks in
            await relayRounds(marks: &marks)
            // The services that hand events over stop before the relay does; what they handed last goes out now.
            if let handoff {
                let last = handoff.relayStopped()
                if !last.isEmpty { await publish(last, from: handoff, marks: &marks) }
            }
        }
    }

    private func relayRounds(marks: inout DiscardingTaskGroup) async {
        var lastCleanup = clock.now()
        var roundStarted = ContinuousClock.now
        let wake = handoff?.signal ?? signal
        var scanAgain = true
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            roundStarted = .now
            let (handed, scanRequested) = handoff?.take() ?? ([], true)
            if let handoff, !handed.isEmpty { await publish(handed, from: handoff, marks: &marks) }
            // A full batch means more is probably waiting: go again without sleeping.
            scanAgain = (scanRequested || scanAgain) ? await scan() == settings.batchSize : false
            if clock.now().timeIntervalSince(lastCleanup) >= settings.cleanupInterval {
                lastCleanup = clock.now()
                await cleanUp()
            }
            guard !scanAgain else { continue }
            await withGracefulShutdownHandler {
                await wake.wait()
            } onGracefulShutdown: {
                wake.notify()
            }
            // Handed events go at once: a round of them is one XADD, and the events of commits made during it
            // wait for the next anyway. Scans of the table are spaced out so that commits join them.
            guard handoff == nil else { continue }
            // A few milliseconds at most: not worth cutting short at shutdown.
            let next = roundStarted + (settings.minimumRoundInterval ?? bus.relayRoundInterval)
            if next > .now { try? await Task.sleep(until: next) }
        }
    }

    /// One batch from the table; how many events were published.
    private func scan() async -> Int {
        do {
            return try await relayBatch()
        } catch {
            logger.error("outbox relay batch failed", metadata: ["error": "\(error)"])
            return 0
        }
    }

    /// Publishes events this process handed over and marks them published, a batch at a time. An event whose
    /// lease is nearly over is left to the scan, which may take it any moment. If a publish fails, the leases of
    /// that batch and the rest end with the first backoff, and scans retry them like any other row.
    private func publish(_ handed: [EventEnvelope], from handoff: RelayHandoff, marks: inout DiscardingTaskGroup) async
    {
        let now = clock.now()
        let margin = min(2, handoff.lease / 2)
        let events = handed.filter { now < $0.occurredAt.addingTimeInterval(handoff.lease - margin) }
        for start in stride(from: 0, to: events.count, by: settings.batchSize) {
            let batch = Array(events[start..<min(events.count, start + settings.batchSize)])
            do {
                try await bus.publish(batch)
            } catch {
                let unpublished = events[start...].map(\.id)
                logger.warning(
                    "publish failed; backing off",
                    metadata: ["events": "\(unpublished.count)", "error": "\(error)"])
                let retryAt = now.addingTimeInterval(settings.backoff.first ?? 1)
                // If this fails too, the leases run out and the scan retries them all the same.
                try? await database.autocommit { db in
                    try await OutboxStore.recordFailure(
                        events: unpublished, error: "\(error)", retryAt: retryAt, in: db)
                }
                return
            }
            let ids = batch.map(\.id)
            marks.addTask { [publishedMarks, logger] in
                do {
                    try await publishedMarks.call(ids)
                } catch {
                    // Consumers apply an event once however often it is published.
                    logger.warning(
                        "marking published events failed; they go out again when their lease ends",
                        metadata: ["events": "\(ids.count)", "error": "\(error)"])
                }
            }
        }
    }

    /// Publishes one batch of due events; returns how many were published.
    @discardableResult
    public func relayBatch() async throws -> Int {
        let (bus, settings, committed) = (self.bus, self.settings, self.committed)
        let now = clock.now()
        do {
            return try await database.transaction { db in
                if db.isPostgres {
                    // With the in-process bus, the envelopes this process committed go out as kept, payload decoded.
                    let rows = try await OutboxStore.takeDue(limit: settings.batchSize, now: now, in: db).map { row in
                        committed?.take(row.envelope.id).map {
                            OutboxRow(rowID: row.rowID, envelope: $0, attempts: row.attempts)
                        } ?? row
                    }
                    try await Self.publish(rows, on: bus)
                    return rows.count
                }
                let rows =
                    if let committed {
                        try await OutboxStore.due(limit: settings.batchSize, now: now, kept: committed.take, in: db)
                    } else {
                        try await OutboxStore.due(limit: settings.batchSize, now: now, in: db)
                    }
                try await Self.publish(rows, on: bus)
                try await OutboxStore.markPublished(rows.map(\.rowID), now: now, in: db)
                return rows.count
            }
        } catch let failed as PublishFailed {
            logger.warning(
                "publish failed; backing off", metadata: ["events": "\(failed.rows.count)", "error": "\(failed.error)"])
            try await database.transaction { db in
                for row in failed.rows {
                    let attempts = row.attempts + 1
                    let retryAt =
                        attempts <= settings.backoff.count
                        ? now.addingTimeInterval(settings.backoff[attempts - 1]) : nil
                    try await OutboxStore.recordFailure(
                        row.rowID, attempts: attempts, error: "\(failed.error)", retryAt: retryAt, in: db)
                }
            }
            return 0
        }
    }

    /// A publish that failed; thrown out of the relay's transaction so that any mark made in it is rolled back,
    /// and the failure is recorded in a transaction of its own.
    private struct PublishFailed: Error {
        let rows: [OutboxRow]
        let error: any Error
    }

    private static func publish(_ rows: [OutboxRow], on bus: any EventBus) async throws {
        guard !rows.isEmpty else { return }
        do {
            try await bus.publish(rows.map(\.envelope))
        } catch {
            throw PublishFailed(rows: rows, error: error)
        }
    }

    func cleanUp() async {
        let cutoff = clock.now().addingTimeInterval(-settings.retention)
        do {
            // Marks older than the retention refer to events whose outbox rows are deleted here too, so they
            // can no longer be replayed and the marks are no longer needed.
            // The records of erasures are kept exactly as long, for the same reason (`PersonErasure`).
            let deleted = try await database.transaction { db in
                try await ProcessedEvents.deleteMarks(before: cutoff, in: db)
                let erased = try await OutboxStore.deleteErased(in: db)
                try await PersonErasure.deleteRecords(before: cutoff, in: db)
                return try await OutboxStore.deletePublished(before: cutoff, in: db) + erased
            }
            if deleted > 0 { logger.info("outbox cleanup", metadata: ["deleted": "\(deleted)"]) }
        } catch {
            logger.warning("outbox cleanup failed", metadata: ["error": "\(error)"])
        }
        // The bus's own copies of forgotten people's events (Redis's dead-letter stream), while the records of
        // their erasures last: an event set aside after the erasure goes at the next cleanup.
        do {
            let erasures = try await database.read { db in try await PersonErasure.erasures(in: db) }
            guard !erasures.isEmpty else { return }
            let deleted = try await bus.deleteSetAside(of: erasures)
            if deleted > 0 {
                logger.info("set-aside events of forgotten people deleted", metadata: ["deleted": "\(deleted)"])
            }
        } catch {
            logger.warning("cleanup of set-aside events failed", metadata: ["error": "\(error)"])
        }
    }
}
