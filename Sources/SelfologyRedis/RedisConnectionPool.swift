import Logging
import NIOCore

/// Up to `maximumConnections` connections, each leased to one caller at a time, so that a command blocking on the
/// server (XREADGROUP … BLOCK) holds only its own connection. Broken connections are forgotten when they come back
/// or are found dead while idle, and the next lease opens a fresh one: that is how the client reconnects.
actor RedisConnectionPool {
    /// What a waiting caller receives: a connection someone returned, or a free slot to open one in.
    private enum Grant {
        case connection(RedisConnection)
        case slot
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Grant, any Error>
    }

    private let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let maximumConnections: Int

    /// Most recently returned last, and taken from the end, so a quiet client keeps using few connections.
    private var idle: [RedisConnection] = []
    /// Every open connection, idle or leased, so that `close()` can close them all.
    private var open: [Int: RedisConnection] = [:]
    /// Open connections plus those being opened.
    private var slotsInUse = 0
    /// Callers waiting for a connection, first come first served. Never non-empty while `idle` is.
    private var waiters: [Waiter] = []
    private var lastID = 0
    private var isClosed = false

    init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.maximumConnections = max(1, configuration.maximumConnections)
    }

    /// A connection for the caller's exclusive use until it is given back with `release`. Waiting for one ends
    /// with `RedisError.timeout` at `deadline`.
    func lease(deadline: ContinuousClock.Instant) async throws -> RedisConnection {
        guard !self.isClosed else { throw RedisError.poolClosed }
        while let connection = self.idle.popLast() {
            if connection.isActive { return connection }
            self.forget(connection)
        }
        if self.slotsInUse < self.maximumConnections {
            self.slotsInUse += 1
            return try await self.openConnection()
        }
        switch try await self.wait(until: deadline) {
        case .connection(let connection): return connection
        case .slot: return try await self.openConnection()
        }
    }

    /// Gives a leased connection back; one that is no longer usable is forgotten and its slot handed on.
    func release(_ connection: RedisConnection) {
        guard self.open[connection.id] != nil else { return }  // the pool was closed meanwhile
        guard connection.isActive else { return self.forget(connection) }
        if self.waiters.isEmpty {
            self.idle.append(connection)
        } else {
            self.waiters.removeFirst().continuation.resume(returning: .connection(connection))
        }
    }

    /// Refuses new leases, wakes waiting callers with `poolClosed` and closes every connection, leased ones too:
    /// their calls end with `connectionClosed` instead of holding shutdown up for as long as they block.
    func close() async {
        guard !self.isClosed else { return }
        self.isClosed = true
        for waiter in self.waiters {
            waiter.continuation.resume(throwing: RedisError.poolClosed)
        }
        self.waiters.removeAll()
        let connections = Array(self.open.values)
        self.open.removeAll()
        self.idle.removeAll()
        for connection in connections {
            await connection.close()
        }
    }

    /// Opens a connection in a slot the caller has already counted in `slotsInUse`.
    private func openConnection() async throws -> RedisConnection {
        self.lastID += 1
        let id = self.lastID
        let connection: RedisConnection
        do {
            connection = try await RedisConnection.connect(
                id: id, configuration: self.configuration, eventLoopGroup: self.eventLoopGroup, logger: self.logger
            )
        } catch {
            self.freeSlot()
            throw error
        }
        guard !self.isClosed else {
            await connection.close()
            throw RedisError.poolClosed
        }
        self.open[id] = connection
        return connection
    }

    private func forget(_ connection: RedisConnection) {
        self.open[connection.id] = nil
        self.freeSlot()
    }

    /// Hands a freed slot straight to the first waiter, who then opens its own connection.
    private func freeSlot() {
        if self.waiters.isEmpty {
            self.slotsInUse -= 1
        } else {
            self.waiters.removeFirst().continuation.resume(returning: .slot)
        }
    }

    private func wait(until deadline: ContinuousClock.Instant) async throws -> Grant {
        self.lastID += 1
        let id = self.lastID
        let timer = Task {
            do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }  // granted in time
            self.abandonWait(id, with: RedisError.timeout)
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                // Cancelled before we got here: the cancellation handler below found nothing to abandon.
                guard !Task.isCancelled else { return continuation.resume(throwing: CancellationError()) }
                self.waiters.append(Waiter(id: id, continuation: continuation))
            }
        } onCancel: {
            Task { await self.abandonWait(id, with: CancellationError()) }
        }
    }

    private func abandonWait(_ id: Int, with error: any Error) {
        guard let index = self.waiters.firstIndex(where: { $0.id == id }) else { return }  // already granted
        self.waiters.remove(at: index).continuation.resume(throwing: error)
    }
}
