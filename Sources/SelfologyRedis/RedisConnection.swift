import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc  // TCP_ESTABLISHED
#elseif canImport(Musl)
    import Musl
#endif

/// One TCP connection to Redis. It is used by one caller at a time (the pool leases it), so the replies it
/// receives belong to that caller's request.
final class RedisConnection: Sendable {
    /// Thrown when the connection was already closed before the request could be written: Redis never saw the
    /// command, so the caller may safely send it again on another connection.
    struct NotSent: Error {}

    let id: Int
    private let channel: any Channel
    private let logger: Logger
    /// Whether the kernel can tell that the server closed (`serverHasClosed`): over TCP. A Unix socket has no TCP
    /// state; asking failed with EOPNOTSUPP before every command.
    private let asksPeerState: Bool

    private init(id: Int, channel: any Channel, asksPeerState: Bool, logger: Logger) {
        self.id = id
        self.channel = channel
        self.asksPeerState = asksPeerState
        self.logger = logger
    }

    /// False once the server closed it, a call on it timed out, or its reply stream was broken.
    var isActive: Bool { self.channel.isActive }

    /// Opens a connection and authenticates and selects the database when the configuration asks for it.
    static func connect(
        id: Int, configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger
    ) async throws -> RedisConnection {
        var logger = logger
        logger[metadataKey: "redis.connection"] = "\(id)"
        let channel: any Channel
        do {
            let bootstrap = ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPDecoder()))
                        try channel.pipeline.syncOperations.addHandler(RedisCommandHandler())
                    }
                }
            if let socket = configuration.socketPath {
                channel = try await bootstrap.connect(unixDomainSocketPath: socket).get()
            } else {
                channel = try await bootstrap.channelOption(.socketOption(.so_keepalive), value: 1)
                    .connect(host: configuration.host, port: configuration.port).get()
            }
        } catch {
            // The cause (refused, unreachable, unknown host) is for the operator's log; callers get a RedisError.
            let address = configuration.socketPath ?? "\(configuration.host):\(configuration.port)"
            logger.warning("Redis connect failed", metadata: ["redis.address": "\(address)", "error": "\(error)"])
            if case ChannelError.connectTimeout = error { throw RedisError.timeout }
            throw RedisError.connectionClosed
        }

        let connection = RedisConnection(
            id: id, channel: channel, asksPeerState: configuration.socketPath == nil, logger: logger)
        do {
            try await connection.prepare(configuration)
        } catch {
            await connection.close()
            // The server closed at once (for example at its client limit): nothing to retry on this connection.
            throw error is NotSent ? RedisError.connectionClosed : error
        }
        logger.debug("Redis connection opened")
        return connection
    }

    /// Sends the commands in one write and returns their replies in order, error replies included.
    func send(_ commands: [[String]], timeout: Duration) async throws -> [RESPValue] {
        let (channel, asksPeerState) = (self.channel, self.asksPeerState)
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        let request = RedisRequest(commands: commands, replies: promise, deadline: .now() + TimeAmount(timeout))
        channel.eventLoop.execute {
            // On the event loop "active" is exact: an active channel still has its handlers, which then own the
            // promise; an inactive one may have lost them, and the request would vanish unanswered.
            guard channel.isActive else { return promise.fail(NotSent()) }
            guard asksPeerState else { return channel.writeAndFlush(request, promise: nil) }
            Self.serverHasClosed(channel).whenComplete { result in
                // Not knowing is no reason to refuse: the write then fails, if it must, like any other.
                let serverHasClosed = (try? result.get()) ?? false
                guard channel.isActive, !serverHasClosed else {
                    channel.close(promise: nil)
                    return promise.fail(NotSent())
                }
                channel.writeAndFlush(request, promise: nil)
            }
        }
        do {
            return try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                // A cancelled caller will not read its reply, which would then go to the next caller: close instead.
                channel.close(promise: nil)
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            if error as? RedisError == .timeout { self.logger.notice("Redis call timed out; connection closed") }
            throw error
        }
    }

    /// The kernel knows that the server closed the connection (CLIENT KILL, a restart, an idle timeout) before the
    /// event loop has read the end of the stream. A command written in between would be lost with the connection
    /// and its caller would fail although a fresh connection could serve it, so the TCP state is asked first, as
    /// go-redis does before reusing a pooled connection. On the event loop the answer is immediate.
    private static func serverHasClosed(_ channel: any Channel) -> EventLoopFuture<Bool> {
        #if os(Linux)
            if let socket = channel as? any SocketOptionProvider {
                return socket.getTCPInfo().map { Int($0.tcpi_state) != TCP_ESTABLISHED }
            }
        #endif
        // Elsewhere a closed peer is noticed when the event loop reads the end of the stream.
        return channel.eventLoop.makeSucceededFuture(false)
    }

    func close() async {
        try? await self.channel.close()
        self.logger.debug("Redis connection closed")
    }

    private func prepare(_ configuration: RedisConfiguration) async throws {
        var commands: [[String]] = []
        if let password = configuration.password {
            commands.append(["AUTH"] + (configuration.username.map { [$0] } ?? []) + [password])
        }
        if let database = configuration.database, database != 0 {
            commands.append(["SELECT", String(database)])
        }
        guard !commands.isEmpty else { return }
        let replies = try await self.send(commands, timeout: configuration.commandTimeout)
        for case .error(let message) in replies {
            throw RedisError.server(message)
        }
    }
}
