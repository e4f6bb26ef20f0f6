import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A Redis client over a pool of connections. Every call leases a connection for its duration, so calls from many
/// tasks run side by side and a blocking read delays nobody else. Call `close()` before dropping the client.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    private let pool: RedisConnectionPool
    /// The SHA1 Redis gave each script this client loaded.
    let scripts = LoadedScripts()
    private let counter = RedisTrafficCounter()

    /// The commands and round trips this client has sent so far.
    public var traffic: RedisTraffic { counter.traffic }

    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "selfology.redis")
    ) {
        self.configuration = configuration
        self.pool = RedisConnectionPool(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// Sends one command with the configured command timeout. An error reply throws `RedisError.server`.
    public func send(_ command: [String]) async throws -> RESPValue {
        try await self.send(command, timeout: self.configuration.commandTimeout)
    }

    /// Sends one command that may take up to `timeout`, for commands that block on the server. On timeout the
    /// connection is closed, because a reply arriving later would otherwise be read as the next caller's.
    public func send(_ command: [String], timeout: Duration) async throws -> RESPValue {
        let replies = try await self.run([command], timeout: timeout)
        guard let reply = replies.first else { throw RedisError.protocolViolation("no reply") }
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply
    }

    /// Sends all commands in one write and returns their replies in order. An error reply to one command is
    /// returned in its place as `.error`, because the others have run regardless.
    public func pipeline(_ commands: [[String]]) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        return try await self.run(commands, timeout: self.configuration.commandTimeout)
    }

    /// Closes every connection. Calls in flight end with `connectionClosed`, later ones with `poolClosed`.
    public func close() async {
        await self.pool.close()
    }

    private func run(_ commands: [[String]], timeout: Duration) async throws -> [RESPValue] {
        // Redis answers an empty command with nothing at all, which would only surface as a timeout.
        guard commands.allSatisfy({ !$0.isEmpty }) else {
            throw RedisError.protocolViolation("a command needs at least its name")
        }
        let deadline = ContinuousClock.now + timeout
        while true {
            let connection = try await self.pool.lease(deadline: deadline)
            let remaining = deadline - .now
            guard remaining > .zero else {
                await self.pool.release(connection)
                throw RedisError.timeout
            }
            do {
                let replies = try await connection.send(commands, timeout: remaining)
                counter.count(commands: commands.count)
                await self.pool.release(connection)
                return replies
            } catch is RedisConnection.NotSent {
                // It died while idle and Redis never saw the command: try again on another connection.
                await self.pool.release(connection)
            } catch {
                // Anything but a reply leaves the connection unusable (timed out, closed, garbage, cancelled).
                counter.count(commands: commands.count)
                await connection.close()
                await self.pool.release(connection)
                throw error
            }
        }
    }
}

/// Scripts by their text, with the SHA1 that runs them.
final class LoadedScripts: Sendable {
    private let shas = Mutex<[String: String]>([:])

    func sha(of script: String) -> String? { shas.withLock { $0[script] } }
    func remember(_ sha: String, of script: String) { shas.withLock { $0[script] = sha } }
}
