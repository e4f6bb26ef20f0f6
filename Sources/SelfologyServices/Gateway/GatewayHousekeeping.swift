import Foundation
import Logging
import SQLKit
import SelfologyCore
import ServiceLifecycle

public struct HousekeepingSettings: Sendable {
    /// Delivered messages and the ids of handled inputs are deleted this long after. Telegram redelivers an update
    /// for a day at most, so a week of ids still turns every redelivery away.
    public var retention: TimeInterval = 7 * 24 * 3600
    public var interval: Duration = .seconds(3600)
    /// The parts of a person's copy of their data (/mydata) are kept this long for the other parts to come in.
    public var copyPartsRetention: TimeInterval = 24 * 3600
    /// Rows deleted per transaction, so that on SQLite a sweep never holds the one writer for long.
    public var batchSize = 1000

    public init() {}
}

/// The gateway's background task: deletes what it no longer needs once the retention has passed. Delivered
/// messages hold what the bot said to a person (coach replies echo what they wrote) and were kept forever; the
/// ids of handled inputs only grew. Undelivered messages stay however old they are: they are still owed.
public final class GatewayHousekeeping: Service {
    let database: any Database
    let clock: any WallClock
    let settings: HousekeepingSettings
    let logger: Logger

    public init(database: any Database, clock: any WallClock, settings: HousekeepingSettings, logger: Logger) {
        self.database = database
        self.clock = clock
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let deleted = try await sweep()
                if deleted.messages + deleted.inputs > 0 {
                    logger.info(
                        "gateway housekeeping",
                        metadata: ["messages": "\(deleted.messages)", "inputs": "\(deleted.inputs)"])
                }
            } catch {
                logger.warning("gateway housekeeping failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.settings.interval) }
        }
    }

    /// Deletes delivered messages and handled inputs older than the retention, and the parts of copies of
    /// people's data still incomplete after `copyPartsRetention`; returns how many messages and inputs.
    @discardableResult
    public func sweep() async throws -> (messages: Int, inputs: Int) {
        let now = clock.now()
        let cutoff = now.addingTimeInterval(-settings.retention)
        let limit = settings.batchSize
        let messages = try await inBatches { db in
            try await GatewayStore.deleteSent(before: cutoff, limit: limit, in: db)
        }
        let inputs = try await inBatches { db in
            try await GatewayStore.deleteInputs(before: cutoff, limit: limit, in: db)
        }
        let partsCutoff = now.addingTimeInterval(-settings.copyPartsRetention)
        let parts = try await database.transaction(urgency: .background) { db in
            try await DataCopies.deleteParts(before: partsCutoff, in: db)
        }
        if parts > 0 { logger.warning("copies of people's data never completed", metadata: ["parts": "\(parts)"]) }
        return (messages, inputs)
    }

    /// Runs a deleting transaction until it deletes less than a full batch; returns the rows deleted in all.
    private func inBatches(_ delete: @escaping @Sendable (any SQLDatabase) async throws -> Int) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await database.transaction(urgency: .background, delete)
            total += deleted
            if deleted < settings.batchSize { return total }
        }
    }
}

extension GatewayStore {
    /// Deletes up to `limit` messages delivered before `cutoff`, oldest first; returns how many. Ids grow with
    /// time, so the oldest are found first on the primary key.
    static func deleteSent(before cutoff: Date, limit: Int, in db: any SQLDatabase) async throws -> Int {
        try await db.raw(
            """
            DELETE FROM outgoing_messages WHERE id IN (SELECT id FROM outgoing_messages \
            WHERE sent_at < \(bind: cutoff) ORDER BY id LIMIT \(literal: limit)) RETURNING id
            """
        ).all().count
    }

    /// Deletes up to `limit` ids of inputs handled before `cutoff` (on their index by age); returns how many.
    static func deleteInputs(before cutoff: Date, limit: Int, in db: any SQLDatabase) async throws -> Int {
        try await db.raw(
            """
            DELETE FROM received_inputs WHERE input_id IN (SELECT input_id FROM received_inputs \
            WHERE received_at < \(bind: cutoff) LIMIT \(literal: limit)) RETURNING input_id
            """
        ).all().count
    }
}
