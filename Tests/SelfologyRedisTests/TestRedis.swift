import Foundation
import SelfologyRedis

/// The Redis server the tests run against: `SELFOLOGY_TEST_REDIS_URL`, set by `scripts/test` after it started one.
/// Suites that need it are skipped when it is absent. Every test uses its own key prefix, so tests can run in
/// parallel against one server.
enum TestRedis {
    static let url = ProcessInfo.processInfo.environment["SELFOLOGY_TEST_REDIS_URL"]
    static var isAvailable: Bool { url != nil }

    static func configuration() throws -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: url ?? "")
        // The whole suite shares two cores, and CPU-heavy suites start together with these: a call may wait
        // seconds for its turn. Tests of timeouts give their calls short ones of their own.
        configuration.commandTimeout = .seconds(15)
        return configuration
    }

    static func uniquePrefix() -> String {
        "selfology-test:\(UUID().uuidString.prefix(12)):"
    }

    /// Runs `body` with a fresh client and closes it afterwards, whether `body` succeeded or not.
    static func withClient<Result>(
        configure: (inout RedisConfiguration) -> Void = { _ in },
        _ body: (RedisClient, String) async throws -> Result
    ) async throws -> Result {
        var configuration = try configuration()
        configure(&configuration)
        let client = RedisClient(configuration: configuration)
        do {
            let result = try await body(client, uniquePrefix())
            await client.close()
            return result
        } catch {
            await client.close()
            throw error
        }
    }

    /// Returns once the server shows the connection `clientID` blocked in a command (flag `b` in CLIENT LIST), so a
    /// test knows its blocking call has really started.
    static func waitUntilBlocked(clientID: Int, using client: RedisClient) async throws {
        for _ in 0..<500 {
            if try await isBlocked(clientID: clientID, using: client) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw WaitFailed()
    }

    /// Whether the server shows the connection as blocked in a command (flag `b` in CLIENT LIST).
    static func isBlocked(clientID: Int, using client: RedisClient) async throws -> Bool {
        let line = try await client.send(["CLIENT", "LIST", "ID", String(clientID)]).string ?? ""
        let flags = line.split(separator: " ").first { $0.hasPrefix("flags=") } ?? ""
        return flags.dropFirst("flags=".count).contains("b")
    }

    struct WaitFailed: Error {}
}

extension Duration {
    var seconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }
}
