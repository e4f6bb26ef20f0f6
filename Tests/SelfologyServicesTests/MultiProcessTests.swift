import Foundation
import SQLKit
import SelfologyCore
import SelfologyServices
import Testing

/// The distributed runtime with real processes: this test process runs the gateway and the other services,
/// while `selfology service` child processes run three analysis workers and two profile-storage services.
@Suite(
    "Several processes per service on PostgreSQL and Redis Streams",
    .enabled(if: TestStore.postgresURL != nil && TestStore.redisURL != nil))
struct MultiProcessTests {
    static let users = 12
    static let answers = 6

    /// The `selfology` executable built next to this test bundle.
    static var executable: URL? {
        let here = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
        let candidate = here.appendingPathComponent("selfology")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }

    func spawn(_ service: ServiceName, for test: TestRuntime, executable: URL) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["service", service.rawValue]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = test.configuration.databaseURL
        environment["SELFOLOGY_PG_SCHEMA"] = test.configuration.postgresSchema
        environment["REDIS_URL"] = test.configuration.redisURL
        environment["SELFOLOGY_STREAM_PREFIX"] = test.configuration.streams.prefix
        environment["SELFOLOGY_STREAM_PARTITIONS"] = String(test.configuration.streams.partitions)
        environment["SELFOLOGY_LEASE_TTL_MS"] = "1500"
        environment["SELFOLOGY_CLAIM_IDLE_MS"] = "2000"
        environment["SELFOLOGY_LOG_LEVEL"] = "error"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// One person answering every question as it comes, with no settling in between: real concurrent load.
    func answerAll(_ user: UserID, test: TestRuntime) async throws {
        func wait(for fragment: String, after count: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if Array(test.transport.all(for: user).dropFirst(count)).contains(text: fragment) { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw TestFailure("\(user) never saw \(fragment)")
        }
        try await test.runtime.gateway.receive(.command(.start), from: user)
        var seen = test.transport.all(for: user).count
        try await test.runtime.gateway.receive(.text("yes"), from: user)
        try await wait(for: "Question 1 of", after: seen)
        for turn in 0..<Self.answers {
            let messages = test.transport.all(for: user)
            let answer = try #require(Journey.answer(to: messages, turn: turn))
            seen = messages.count
            try await test.runtime.gateway.receive(.text(answer), from: user)
            try await wait(
                for: turn == Self.answers - 1 ? "completes this round" : "Question \(turn + 2) of", after: seen)
        }
    }

    @Test("selfology migrate creates the schema in PostgreSQL once, then finds it up to date")
    func migrateCommand() async throws {
        let executable = try #require(Self.executable, "build the selfology executable first (scripts/test does)")
        let schema = "migrate_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        func migrate() async throws -> String {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["migrate"]
            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_URL"] = TestStore.postgresURL
            environment["SELFOLOGY_PG_SCHEMA"] = schema
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = try await offPool { try output.fileHandleForReading.readToEnd() ?? Data() }
            try await offPool { process.waitUntilExit() }
            #expect(process.terminationStatus == 0)
            return String(decoding: data, as: UTF8.self)
        }
        let first = try await migrate()
        #expect(first.contains("applied 1: event outbox and idempotency") && first.contains("applied 6:"))
        #expect(try await migrate().contains("schema is up to date"))
    }

    @Test("one analysis worker is killed mid-load; every answer is still applied exactly once and in order")
    func killWorkerMidLoad() async throws {
        let executable = try #require(Self.executable, "build the selfology executable first (scripts/test does)")
        let test = try await TestRuntime(
            store: .postgres, redisStreams: true, targetAnswers: Self.answers,
            without: [.analysisWorker, .profileStorage]
        ) {
            $0.leaseTTL = .milliseconds(1500); $0.claimIdle = .milliseconds(2000)
        }
        var workers = try (0..<3).map { _ in try spawn(.analysisWorker, for: test, executable: executable) }
        let storage = try (0..<2).map { _ in try spawn(.profileStorage, for: test, executable: executable) }
        let children = workers + storage
        // SIGKILL on the way out: children inherit this process's signal mask, where SIGTERM may be blocked.
        defer { for process in children where process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        let people = (0..<Self.users).map { UserID("multi:\($0)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for user in people { group.addTask { try await answerAll(user, test: test) } }
            // Let the load build up, then kill a worker that certainly holds work.
            try await Task.sleep(for: .milliseconds(700))
            let victim = workers.removeFirst()
            kill(victim.processIdentifier, SIGKILL)
            try await offPool { victim.waitUntilExit() }
            try await group.waitForAll()
        }
        try await test.settle()

        let total = Self.users * Self.answers
        #expect(try await test.count("user_answers_new") == total)
        #expect(try await test.count("processed_events", where: "consumer", equals: "analysis_deep") == total)
        #expect(try await test.count("processed_events", where: "consumer", equals: "analysis_instant") == total)
        #expect(try await test.count("dead_letters") == 0)
        let rows = try await test.runtime.database.read { db in
            try await db.select().columns("user_id", "version").column(SQLRaw("CAST(profile_data AS TEXT)"), as: "data")
                .from("personality_profiles").all()
                .map { row in
                    (
                        user: try row.decode(column: "user_id", as: String.self),
                        version: try row.decode(column: "version", as: Int.self),
                        analysed: try EventCoding.decode(
                            PersonalityProfile.self, from: try row.decode(column: "data", as: String.self)
                        ).answersAnalyzed
                    )
                }
        }
        #expect(rows.count == Self.users)
        for row in rows {
            // One profile version per answer: no evidence applied twice, none lost to a concurrent writer.
            #expect(row.version == Self.answers && row.analysed == Self.answers, "\(row.user): \(row.version) versions")
        }
        for user in people {
            let feedback = test.transport.all(for: user).filter { !$0.text.hasPrefix("Question") }
            #expect(feedback.count >= Self.answers, "\(user) got feedback for every answer")
        }
        try await test.stop()
    }
}
