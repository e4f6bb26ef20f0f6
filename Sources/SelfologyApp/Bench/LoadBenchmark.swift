import Foundation
import SelfologyCore
import SelfologyServices

/// Drives simulated people through the real services of a running runtime (embedded or distributed) and
/// measures what a person feels: answer → instant feedback, and answer → next question.
///
/// With no think time every person answers the moment a question arrives (a closed loop), which finds the
/// most the runtime can take; latency then is mostly queueing. With think time the people offer a steady load
/// below that, which is how a thousand people chatting at once actually behave.
public enum LoadBenchmark {
    public struct Load: Sendable {
        public var users: Int
        public var answersEach: Int
        /// Mean pause between a question and its answer; each pause is drawn from 0.5-1.5 times this.
        public var think: Duration

        public init(users: Int, answersEach: Int, think: Duration) {
            self.users = users
            self.answersEach = answersEach
            self.think = think
        }
    }

    public struct Report: Sendable {
        public let answers: Int
        /// From the first answer until every event the answers caused was applied.
        public let seconds: Double
        public let events: Int
        public let feedback: [Duration]
        public let nextQuestion: [Duration]
        public let settled: Bool
        /// CPU time this process used meanwhile (every service in it, and the simulated people): steadier than
        /// latency on a machine whose speed drifts, and what batching and round trips are paid in.
        public let processCPU: Duration
    }

    static func run(_ load: Load, runtime: SelfologyRuntime, transport: BenchTransport) async throws -> Report {
        let publishedBefore = try await publishedEvents(runtime)
        let cpuBefore = processCPUTime()
        let started = ContinuousClock.now
        let samples = try await withThrowingTaskGroup(of: ([Duration], [Duration]).self) { tasks in
            for index in 0..<load.users {
                tasks.addTask {
                    try await person(
                        UserID("bench:\(index)"), load: load, gateway: runtime.gateway, transport: transport)
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
        // Deep analysis, profile updates and trait evolution go on after the last feedback: end to end counts them.
        let settled = try await runtime.settle(timeout: .seconds(300))
        let elapsed = ContinuousClock.now - started
        let cpu = processCPUTime() - cpuBefore
        let events = try await publishedEvents(runtime) - publishedBefore
        return Report(
            answers: samples.0.count, seconds: elapsed.seconds, events: events, feedback: samples.0,
            nextQuestion: samples.1, settled: settled, processCPU: cpu)
    }

    /// User and system CPU time of this process so far.
    static func processCPUTime() -> Duration {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return .zero }
        func duration(_ time: timeval) -> Duration {
            .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec))
        }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }

    static func publishedEvents(_ runtime: SelfologyRuntime) async throws -> Int {
        try await runtime.database.read { db in try await OutboxStore.count(status: .published, in: db) }
    }

    /// One person: consent, then answer every question; returns the two latencies of each answer.
    static func person(_ user: UserID, load: Load, gateway: Gateway, transport: BenchTransport) async throws
        -> ([Duration], [Duration])
    {
        let timeout = Duration.seconds(60)
        // Arrivals spread over one think time, so a thinking crowd does not answer in lockstep.
        if load.think > .zero { try await Task.sleep(for: load.think * Double.random(in: 0..<1)) }
        try await gateway.receive(.command(.start), from: user)
        try await gateway.receive(.text("yes"), from: user)
        var question = try await waitForQuestion(user, transport: transport, timeout: timeout)
        var feedback: [Duration] = []
        var next: [Duration] = []
        for turn in 0..<load.answersEach {
            if load.think > .zero { try await Task.sleep(for: load.think * Double.random(in: 0.5..<1.5)) }
            let answer =
                question.buttons.isEmpty
                ? "I enjoy long walks and talking with friends about ideas." : String(turn % 5 + 1)
            let sent = ContinuousClock.now
            try await gateway.receive(.text(answer), from: user)
            guard let first = await transport.next(for: user, timeout: timeout) else { throw BenchError.stalled(user) }
            feedback.append(first.at - sent)
            if turn == load.answersEach - 1 { break }
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
}

extension Duration {
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

enum BenchError: Error, CustomStringConvertible {
    case stalled(UserID)
    case needsServers
    case serverStopped
    case modelNotUsed
    var description: String {
        switch self {
        case .serverStopped: "the stand-in server stopped early"
        case .modelNotUsed: "the router did not use the stand-in model"
        case .stalled(let user): "\(user) got no reply within 60 s"
        case .needsServers: "the distributed runtime needs DATABASE_URL and REDIS_URL"
        }
    }
}
