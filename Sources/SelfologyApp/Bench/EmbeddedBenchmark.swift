import Foundation
import SQLKit
import SelfologyContent
import SelfologyCore
import SelfologyEmbedded
import SelfologyServices

/// Drives simulated people through the real services of the embedded runtime and measures what a person feels:
/// answer → instant feedback, and answer → next question.
public enum EmbeddedBenchmark {
    public struct Report: Sendable {
        public let users: Int
        public let answers: Int
        public let seconds: Double
        public let events: Int
        public let feedback: [Duration]
        public let nextQuestion: [Duration]
        public let rawCommitsPerSecond: Double
        public let rawBatchedRowsPerSecond: Double
    }

    public static func run(users: Int, answersEach: Int, content: ContentLibrary, directory: URL) async throws -> Report
    {
        var configuration = RuntimeConfiguration(dataPath: directory.appendingPathComponent("bench.sqlite").path)
        configuration.session.targetAnswers = answersEach
        configuration.relay.pollInterval = .milliseconds(100)
        let transport = BenchTransport()
        let runtime = try await SelfologyRuntime.prepare(
            configuration: configuration, content: content, transport: transport)
        let group = runtime.makeServiceGroup()
        let services = Task { try await group.run() }

        let started = ContinuousClock.now
        let publishedBefore = await runtime.inProcessBus?.publishedCount ?? 0
        let samples = try await withThrowingTaskGroup(of: ([Duration], [Duration]).self) { tasks in
            for index in 0..<users {
                tasks.addTask {
                    try await person(
                        UserID("bench:\(index)"), answers: answersEach, gateway: runtime.gateway, transport: transport)
                }
            }
            var feedback: [Duration] = []
            var next: [Duration] = []
            for try await (f, n) in tasks {
                feedback += f
                next += n
            }
            return (feedback, next)
        }
        let elapsed = ContinuousClock.now - started
        let events = await runtime.inProcessBus?.publishedCount ?? 0 - publishedBefore
        await group.triggerGracefulShutdown()
        try await services.value
        try await runtime.close()

        let raw = try await rawSQLite(directory: directory)
        return Report(
            users: users, answers: samples.0.count, seconds: seconds(elapsed), events: events, feedback: samples.0,
            nextQuestion: samples.1, rawCommitsPerSecond: raw.commits, rawBatchedRowsPerSecond: raw.batched)
    }

    /// One person: consent, then answer every question; returns the two latencies of each answer.
    static func person(_ user: UserID, answers: Int, gateway: Gateway, transport: BenchTransport) async throws
        -> ([Duration], [Duration])
    {
        let timeout = Duration.seconds(30)
        try await gateway.receive(.command(.start), from: user)
        try await gateway.receive(.text("yes"), from: user)
        var question = try await waitForQuestion(user, transport: transport, timeout: timeout)
        var feedback: [Duration] = []
        var next: [Duration] = []
        for turn in 0..<answers {
            let answer =
                question.buttons.isEmpty
                ? "I enjoy long walks and talking with friends about ideas." : String(turn % 5 + 1)
            let sent = ContinuousClock.now
            try await gateway.receive(.text(answer), from: user)
            guard let first = await transport.next(for: user, timeout: timeout) else { throw BenchError.stalled(user) }
            feedback.append(first.at - sent)
            if turn == answers - 1 { break }
            question = try await waitForQuestion(user, transport: transport, timeout: timeout)
            next.append(ContinuousClock.now - sent)
        }
        return (feedback, next)
    }

    static func waitForQuestion(_ user: UserID, transport: BenchTransport, timeout: Duration) async throws
        -> OutgoingMessage
    {
        while let item = await transport.next(for: user, timeout: timeout) {
            if item.message.text.hasPrefix("Question") { return item.message }
        }
        throw BenchError.stalled(user)
    }

    /// The store's own limit in the same run: one-row transactions per second, and rows per second when 100
    /// rows share a transaction (the relay's and consumers' batching).
    static func rawSQLite(directory: URL) async throws -> (commits: Double, batched: Double) {
        let database = try await SQLiteDatabase.open(path: directory.appendingPathComponent("raw.sqlite").path)
        try await database.transaction { db in
            try await db.create(table: "raw").column("id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("payload", type: .text, .notNull).run()
        }
        let single = 2_000
        var start = ContinuousClock.now
        for index in 0..<single {
            try await database.transaction { db in
                try await db.insert(into: "raw").columns("payload").values(SQLBind("event \(index)")).run()
            }
        }
        let commits = Double(single) / seconds(ContinuousClock.now - start)
        let batches = 200
        start = ContinuousClock.now
        for batch in 0..<batches {
            try await database.transaction { db in
                let insert = db.insert(into: "raw").columns("payload")
                for index in 0..<100 { insert.values(SQLBind("event \(batch)-\(index)")) }
                try await insert.run()
            }
        }
        let batched = Double(batches * 100) / seconds(ContinuousClock.now - start)
        try await database.close()
        return (commits, batched)
    }

    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

enum BenchError: Error, CustomStringConvertible {
    case stalled(UserID)
    var description: String {
        switch self {
        case .stalled(let user): "\(user) got no reply within 30 s"
        }
    }
}
