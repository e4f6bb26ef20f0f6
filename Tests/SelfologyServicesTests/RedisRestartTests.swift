import Foundation
import SelfologyCore
import Testing

/// A Redis of this test's own, with the append-only file on (as production must run it), so it can be stopped
/// and started again under load.
final class RestartableRedis: @unchecked Sendable {  // used from one test, one step at a time
    let port: Int
    let directory: URL
    private var process: Process?

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "redis-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = Int.random(in: 20_000...60_000)
    }

    var url: String { "redis://127.0.0.1:\(port)" }

    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "redis-server", "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path, "--save", "",
            "--appendonly", "yes", "--appendfsync", "always",
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
        for _ in 0..<100 where !accepting() { Thread.sleep(forTimeInterval: 0.05) }
    }

    /// A clean stop: SHUTDOWN makes Redis write its append-only file and exit. (Not SIGTERM: a child started
    /// from this process inherits a signal mask with SIGTERM blocked.)
    func stop() {
        guard let process, process.isRunning else { return }
        let shutdown = Process()
        shutdown.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        shutdown.arguments = ["redis-cli", "-p", String(port), "shutdown"]
        shutdown.standardOutput = FileHandle.nullDevice
        shutdown.standardError = FileHandle.nullDevice
        try? shutdown.run()
        shutdown.waitUntilExit()
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    private func accepting() -> Bool {
        let ping = Process()
        ping.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        ping.arguments = ["redis-cli", "-p", String(port), "ping"]
        let output = Pipe()
        ping.standardOutput = output
        ping.standardError = FileHandle.nullDevice
        guard (try? ping.run()) != nil else { return false }
        ping.waitUntilExit()
        let reply = (try? output.fileHandleForReading.readToEnd()).flatMap { $0 }.map {
            String(decoding: $0, as: UTF8.self)
        }
        return reply?.contains("PONG") ?? false
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite("Redis restarted under load", .enabled(if: TestStore.postgresURL != nil && TestStore.redisURL != nil))
struct RedisRestartTests {
    @Test("the relay backs off while Redis is down and catches up; no answer is lost or applied twice")
    func restartUnderLoad() async throws {
        let redis = try RestartableRedis()
        try await offPool { try redis.start() }
        let test = try await TestRuntime(store: .postgres, redisStreams: true, redisURL: redis.url, targetAnswers: 4) {
            $0.claimIdle = .milliseconds(1500)
        }
        let people = (0..<6).map { UserID("restart:\($0)") }
        for user in people {
            try await test.runtime.gateway.receive(.command(.start), from: user)
            try await test.runtime.gateway.receive(.text("yes"), from: user)
        }
        try await test.settle()

        // Everyone answers their first question; Redis goes down in the middle of it and comes back.
        for (index, user) in people.enumerated() {
            if index == 3 {
                try await offPool { redis.stop() }
            }
            let answer = try #require(Journey.answer(to: test.transport.all(for: user), turn: 0))
            try await test.runtime.gateway.receive(.text(answer), from: user)
        }
        try await Task.sleep(for: .milliseconds(1500))
        #expect(
            try await test.count("event_outbox", where: "status", equals: "pending") > 0,
            "events wait while Redis is down")
        try await offPool { try redis.start() }
        try await test.settle()

        #expect(try await test.count("event_outbox", where: "status", equals: "pending") == 0)
        #expect(try await test.count("event_outbox", where: "status", equals: "failed") == 0)
        #expect(try await test.count("user_answers_new") == people.count)
        #expect(try await test.count("processed_events", where: "consumer", equals: "analysis_deep") == people.count)
        for user in people {
            #expect(test.transport.all(for: user).contains(text: "Question 2 of 4"), "\(user) got the next question")
        }
        try await test.stop()
        try await offPool { redis.stop() }
    }
}
