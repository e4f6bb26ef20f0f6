import Foundation
import Logging
import SelfologyCore
import ServiceLifecycle

/// Delivers queued messages to the transport in order and marks each one sent. A crash between delivery and
/// the mark repeats that one message on restart (at least once), which beats losing a question.
public final class MessageDispatcher: Service {
    let database: any Database
    let transport: any ChatTransport
    let clock: any WallClock
    let signal: WakeSignal
    let pollInterval: Duration
    let logger: Logger

    public init(
        database: any Database, transport: any ChatTransport, clock: any WallClock, signal: WakeSignal,
        pollInterval: Duration = .seconds(1), logger: Logger
    ) {
        self.database = database
        self.transport = transport
        self.clock = clock
        self.signal = signal
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let delivered = await deliverPending()
            if delivered == 0 {
                let (signal, interval) = (self.signal, pollInterval)
                await cancelWhenGracefulShutdown { await signal.wait(timeout: interval) }
            }
        }
    }

    /// Messages waiting for delivery.
    public func queuedCount() async throws -> Int {
        try await database.read { db in try await GatewayStore.unsentCount(in: db) }
    }

    /// Delivers what is queued, in order, and marks the delivered ones sent in one transaction; returns how many
    /// went out. A delivery failure stops the round (later messages to that person must not overtake it).
    @discardableResult
    public func deliverPending(limit: Int = 100) async -> Int {
        var sent: [Int64] = []
        do {
            let queued = try await database.read { db in try await GatewayStore.unsent(limit: limit, in: db) }
            for item in queued {
                try await transport.deliver(item.message, to: item.user)
                sent.append(item.id)
            }
        } catch {
            logger.warning("message delivery failed; will retry", metadata: ["error": "\(error)"])
        }
        guard !sent.isEmpty else { return 0 }
        do {
            let (now, ids) = (clock.now(), sent)
            try await database.transaction { db in try await GatewayStore.markSent(ids, now: now, in: db) }
        } catch {
            // The messages went out; if the mark is lost they are sent again (at least once, never lost).
            logger.warning("could not mark messages sent", metadata: ["error": "\(error)"])
        }
        return sent.count
    }
}
