import Foundation
import SQLKit
import SelfologyApp
import SelfologyContent
import SelfologyCore
import SelfologyDistributed
import SelfologyRedis
import SelfologyServices
import ServiceLifecycle

/// Where a test's data lives: a temporary SQLite file, or a schema of its own in the PostgreSQL server that
/// `scripts/test` starts (`SELFOLOGY_TEST_DATABASE_URL`).
enum TestStore: String, Sendable, CustomStringConvertible {
    case sqlite, postgres

    static let postgresURL = ProcessInfo.processInfo.environment["SELFOLOGY_TEST_DATABASE_URL"]
    static let redisURL = ProcessInfo.processInfo.environment["SELFOLOGY_TEST_REDIS_URL"]
    /// The same servers through their Unix sockets (`scripts/test` sets these too).
    static let postgresSocketURL = ProcessInfo.processInfo.environment["SELFOLOGY_TEST_DATABASE_SOCKET_URL"]
    static let redisSocketURL = ProcessInfo.processInfo.environment["SELFOLOGY_TEST_REDIS_SOCKET_URL"]
    /// A client of the test Redis server that waits long for replies: the whole suite shares two cores with
    /// child processes, and the default 5 s timeout made tests flaky, not stricter.
    static func patientRedis() throws -> RedisClient {
        var configuration = try RedisConfiguration(url: redisURL ?? "")
        configuration.commandTimeout = .seconds(15)
        return RedisClient(configuration: configuration)
    }

    /// The stores a parameterised test runs on: PostgreSQL too whenever a server is available.
    static let available: [TestStore] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]

    var description: String { rawValue }
}

/// The bus a test runs on: the in-process one, and Redis Streams whenever `scripts/test` started a server.
enum TestBus: String, Sendable, CustomStringConvertible {
    case inProcess = "in-process", redis

    static let available: [TestBus] = TestStore.redisURL == nil ? [.inProcess] : [.inProcess, .redis]

    var description: String { rawValue }
}

/// The runtime on a fresh store, driven the way a person drives the terminal front end.
final class TestRuntime: Sendable {
    let runtime: SelfologyRuntime
    let transport: RecordingTransport
    let store: TestStore
    let configuration: RuntimeConfiguration
    /// The SQLite path or the PostgreSQL schema; pass it as `reuse` to simulate a restart on the same data.
    let location: String
    private let group: ServiceGroup?
    private let running: Task<Void, any Error>?

    static let content: ContentLibrary = {
        do { return try ContentLibrary.bundled() } catch { fatalError("bundled content must load: \(error)") }
    }()

    /// - Parameters:
    ///   - path: reuse a database file to simulate a restart; a fresh temporary file when nil.
    ///   - startServices: false prepares everything but runs nothing, so a test can stop the world at a chosen
    ///     point (for example after a commit and before the relay publishes).
    /// - Parameter redisStreams: use the Redis Streams bus (under a stream prefix of this test's own) instead of
    ///   the in-process bus.
    /// - Parameter without: services this process does not run (other processes do, in multi-process tests).
    init(
        store: TestStore = .sqlite, reuse: String? = nil, databaseURL: String? = nil, redisStreams: Bool = false,
        redisURL: String? = nil,
        targetAnswers: Int = 5,
        startServices: Bool = true, clock: any WallClock = SystemWallClock(), without: Set<ServiceName> = [],
        streams: (inout StreamSettings) -> Void = { _ in }
    ) async throws {
        var configuration = RuntimeConfiguration(dataPath: nil)
        let location: String
        switch store {
        case .sqlite:
            location =
                reuse
                ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("selfology-test-\(UUID().uuidString)/store.sqlite").path
            configuration.dataPath = location
        case .postgres:
            location =
                reuse ?? "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            guard let url = databaseURL ?? TestStore.postgresURL else {
                throw TestFailure("SELFOLOGY_TEST_DATABASE_URL is not set")
            }
            configuration.databaseURL = url
            configuration.postgresSchema = location
        }
        configuration.session.targetAnswers = targetAnswers
        if redisStreams {
            guard let url = redisURL ?? TestStore.redisURL else {
                throw TestFailure("SELFOLOGY_TEST_REDIS_URL is not set")
            }
            configuration.redisURL = url
            // The suite shares two cores with child processes and CPU-heavy suites that start together: a call
            // may wait seconds for its turn, which is no failure of what these tests check.
            configuration.redisCommandTimeout = .seconds(15)
            configuration.streams.prefix = "selfology:test:\(location.suffix(24))"
            configuration.streams.partitions = 4
            configuration.streams.keyPrefix = configuration.streams.prefix + ":"
            streams(&configuration.streams)
        }
        self.configuration = configuration
        configuration.relay.pollInterval = .milliseconds(50)
        configuration.consumer.readWait = .milliseconds(200)
        let transport = RecordingTransport()
        let runtime = try await SelfologyRuntime.prepare(
            configuration: configuration, content: Self.content, transport: transport, clock: clock)
        self.runtime = runtime
        self.transport = transport
        self.store = store
        self.location = location
        if startServices {
            // A test that moves the clock sweeps for timeouts itself, so the background sweep cannot race it.
            var services = ServiceName.allCases.filter { !without.contains($0) }.flatMap(runtime.services(of:))
            if clock is ManualClock { services = services.filter { !($0 is SessionTimeoutMonitor) } }
            let group = runtime.makeServiceGroup(services)
            self.group = group
            running = Task { try await group.run() }
        } else {
            group = nil
            running = nil
        }
    }

    /// Types a line as `user` and waits until the bot has finished reacting.
    @discardableResult
    func say(_ line: String, as user: UserID) async throws -> [OutgoingMessage] {
        let before = transport.all(for: user).count
        try await runtime.gateway.receive(ChatInput.parse(line), from: user)
        try await settle()
        return Array(transport.all(for: user).dropFirst(before))
    }

    /// Presses an inline button as `user`.
    @discardableResult
    func press(_ action: ButtonAction, as user: UserID) async throws -> [OutgoingMessage] {
        let before = transport.all(for: user).count
        try await runtime.gateway.receive(.button(action), from: user)
        try await settle()
        return Array(transport.all(for: user).dropFirst(before))
    }

    func settle() async throws {
        guard try await runtime.settle(timeout: .seconds(20)) else { throw TestFailure("runtime did not settle") }
    }

    /// Stops the services gracefully and closes the store.
    func stop() async throws {
        if let group {
            await group.triggerGracefulShutdown()
            try await running?.value
        }
        try await runtime.close()
    }

    /// Simulates the process dying: the services are cancelled mid-flight, the in-memory bus is dropped, and
    /// only what was committed to the file survives.
    func crash() async throws {
        running?.cancel()
        _ = try? await running?.value
        try await runtime.close()
    }

    func count(_ table: String, where column: String? = nil, equals value: String? = nil) async throws -> Int {
        try await runtime.database.read { db in
            var query = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            if let column, let value { query = query.where(column, .equal, value) }
            return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension [OutgoingMessage] {
    func contains(text fragment: String) -> Bool { contains { $0.text.contains(fragment) } }
}
