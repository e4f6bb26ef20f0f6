import Logging
import PostgresKit
import SelfologyServices
import ServiceLifecycle

/// Wakes this process's outbox relay when a transaction in any process has written outbox rows, through
/// PostgreSQL's LISTEN/NOTIFY. Without it a relay in its own process only finds new rows at its next poll.
/// A lost connection is retried; while it is down the relay's poll is the fallback, so nothing is lost.
public struct OutboxListener: Service {
    let database: PostgresDatabase
    let signal: WakeSignal
    let retryDelay: Duration
    let logger: Logger

    public init(database: PostgresDatabase, signal: WakeSignal, retryDelay: Duration = .seconds(1), logger: Logger) {
        self.database = database
        self.signal = signal
        self.retryDelay = retryDelay
        self.logger = logger
    }

    public var channel: String { database.schema + OutboxStore.outboxChannelSuffix }

    public func run() async throws {
        let (client, channel, signal) = (database.client, channel, signal)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            // Rows written while nobody listened are picked up by this first wake.
                            signal.notify()
                            for try await _ in notifications { signal.notify() }
                        }
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("outbox listener lost its connection; retrying", metadata: ["error": "\(error)"])
                try? await cancelWhenGracefulShutdown { [retryDelay] in try await Task.sleep(for: retryDelay) }
            }
        }
    }
}
