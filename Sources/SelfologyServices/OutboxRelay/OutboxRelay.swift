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

    public init() {}
}

/// Service 8: publishes the outbox to the bus. Polls every second, and is woken at once when a transaction in
/// this process has written events; publishes up to 100 per batch in order and marks them published.
public final class OutboxRelay: Service {
    let database: any Database
    let bus: any EventBus
    let clock: any WallClock
    let signal: WakeSignal
    let committed: CommittedEvents?
    let settings: RelaySettings
    let logger: Logger

    public init(
        database: any Database, bus: any EventBus, clock: any WallClock, signal: WakeSignal,
        committed: CommittedEvents? = nil, settings: RelaySettings = .init(), logger: Logger
    ) {
        self.database = database
        self.bus = bus
        self.clock = clock
        self.signal = signal
        self.committed = committed
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        var lastCleanup = clock.now()
        var roundStarted = ContinuousClock.now
        let poll = signal.ticking(every: settings.pollInterval)
        defer { poll.cancel() }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            roundStarted = .now
            let published: Int
            do {
                published = try await relayBatch()
            } catch {
                logger.error("outbox relay batch failed", metadata: ["error": "\(error)"])
                published = 0
            }
            if clock.now().timeIntervalSince(lastCleanup) >= settings.cleanupInterval {
                lastCleanup = clock.now()
                await cleanUp()
            }
            // A full batch means more is probably waiting: go again without sleeping.
            if published < settings.batchSize {
                let signal = self.signal
                await withGracefulShutdownHandler {
                    await signal.wait()
                } onGracefulShutdown: {
                    signal.notify()
                }
                // A few milliseconds at most: not worth cutting short at shutdown.
                let next = roundStarted + (settings.minimumRoundInterval ?? bus.relayRoundInterval)
                if next > .now { try? await Task.sleep(until: next) }
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
            let deleted = try await database.transaction { db in
                try await ProcessedEvents.deleteMarks(before: cutoff, in: db)
                return try await OutboxStore.deletePublished(before: cutoff, in: db)
            }
            if deleted > 0 { logger.info("outbox cleanup", metadata: ["deleted": "\(deleted)"]) }
        } catch {
            logger.warning("outbox cleanup failed", metadata: ["error": "\(error)"])
        }
    }
}
