import Hummingbird
import Logging

/// Runs a stand-in server for a benchmark on 127.0.0.1 (a free port) until `body` returns; `body` gets
/// `http://127.0.0.1:<port>`.
enum LoopbackServer {
    static func run<T: Sendable>(
        _ router: Router<BasicRequestContext>, _ body: @escaping @Sendable (String) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var quiet = Logger(label: "bench-stand-in")
        quiet.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: quiet)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            let port = await ports.first { _ in true } ?? 0
            group.addTask { try await body("http://127.0.0.1:\(port)") }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw BenchError.serverStopped
        }
    }
}
