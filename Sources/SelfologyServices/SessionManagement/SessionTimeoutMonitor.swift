import Foundation
import Logging
import SelfologyCore
import ServiceLifecycle

/// Service 2's background task: every few minutes, times out sessions idle for longer than the limit and emits
/// `session.timed_out` for each, in the same transaction as the status change.
public final class SessionTimeoutMonitor: Service {
    let outbox: OutboxTransaction
    let settings: SessionSettings
    let logger: Logger

    public init(outbox: OutboxTransaction, settings: SessionSettings, logger: Logger) {
        self.outbox = outbox
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await sweep()
            } catch {
                logger.warning("timeout sweep failed", metadata: ["error": "\(error)"])
            }
            // Wake early on graceful shutdown instead of sleeping out the interval.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.settings.monitorInterval) }
        }
    }

    /// Times out every idle session; returns how many.
    @discardableResult
    public func sweep() async throws -> Int {
        var total = 0
        while true {
            let count = try await outbox.run { context in
                let due = try await SessionStore.active(dueBefore: context.now, limit: 100, in: context.db)
                var timedOut: [SessionRecord] = []
                for var session in due {
                    session.status = .timeout
                    timedOut.append(session)
                    try context.emit(SessionTimedOut(session: session.stopped(.inactivity)), for: session.userID)
                }
                try await SessionStore.save(timedOut, in: context.db)
                return due.count
            }
            total += count
            if count < 100 { break }
        }
        if total > 0 { logger.info("sessions timed out", metadata: ["count": "\(total)"]) }
        return total
    }
}
