import Hummingbird
import Logging
import ServiceLifecycle

/// A stand-in HTTP server on 127.0.0.1 at a free port: the benchmark's stand-ins and the tests' fake servers.
///
/// It is stopped by graceful shutdown, never by cancelling the task that runs it: cancelling traps in SwiftNIO
/// ("Deinited NIOAsyncWriter without calling finish()") when a connection was accepted but not yet served
/// (apple/swift-nio#3481), which crashed a whole test run once.
public final class LoopbackServer: Sendable {
    public let port: Int
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, group: ServiceGroup, running: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.running = running
    }

    public static func start(_ router: Router<BasicRequestContext>, label: String) async throws -> LoopbackServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var quiet = Logger(label: label)
        quiet.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: quiet)
        let group = ServiceGroup(services: [app], logger: quiet)
        let running = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        let server = LoopbackServer(port: await ports.first { _ in true } ?? 0, group: group, running: running)
        guard server.port > 0 else {
            await server.stop()
            throw LoopbackServerDidNotStart()
        }
        return server
    }

    /// Finishes the requests in hand, closes the connections and returns once the server has stopped.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await running.result
    }

    /// Runs the server until `body` returns.
    public static func run<T: Sendable>(
        _ router: Router<BasicRequestContext>, label: String, _ body: (LoopbackServer) async throws -> T
    ) async throws -> T {
        let server = try await start(router, label: label)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

public struct LoopbackServerDidNotStart: Error, CustomStringConvertible {
    public var description: String { "the loopback server did not start" }
}
