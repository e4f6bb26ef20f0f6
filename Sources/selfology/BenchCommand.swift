import ArgumentParser
import Foundation
import SelfologyApp
import SelfologyContent

/// `selfology bench`: simulated people through a runtime; prints latencies, throughput and the raw rates of the
/// store, the bus and the relay measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure a runtime with simulated people (prints figures).",
        discussion: """
            --runtime distributed needs DATABASE_URL and REDIS_URL; it works in a schema and under Redis keys \
            of its own and removes them afterwards. --think-ms 0 (the default) makes every person answer at \
            once, which finds the most the runtime can take; a think time offers a steady load below that.
            """)

    enum RuntimeChoice: String, ExpressibleByArgument, CaseIterable {
        case embedded, distributed, both
    }

    @Option(help: "embedded, distributed or both.") var runtime: RuntimeChoice = .embedded
    @Option(help: "Simulated people answering at the same time.") var users = 100
    @Option(help: "Answers per person (at most 25: the rate limit is 30 requests a minute).") var answers = 10
    @Option(help: "Mean pause in milliseconds between a question and its answer.") var thinkMs = 0
    @Flag(
        help: """
            Simulate people on Telegram instead (embedded runtime, real Telegram front end and send limits, a             stand-in Bot API on loopback), e.g. --users 200 --answers 3 --think-ms 15000.
            """)
    var telegram = false
    @Flag(
        help: """
            Measure the AI router instead: its overhead per call against a stand-in OpenAI server on loopback, and             answer → instant feedback on the embedded runtime when the model answers in 300 ms and when it hangs.
            """)
    var ai = false

    func validate() throws {
        guard users > 0, (1...25).contains(answers), thinkMs >= 0 else {
            throw ValidationError("--users must be positive, --answers 1-25, --think-ms not negative")
        }
    }

    func run() async throws {
        _ = Logs.bootstrap(default: .error)
        let load = LoadBenchmark.Load(users: users, answersEach: answers, think: .milliseconds(thinkMs))
        let kinds: [RuntimeBench.Runtime] =
            switch runtime {
            case .embedded: [.embedded]
            case .distributed: [.distributed]
            case .both: [.embedded, .distributed]
            }
        let content = try ContentLibrary.bundled()
        if ai {
            let report = try await AIBenchmark.run(load: load, calls: 2_000, content: content)
            print("AI router, stand-in OpenAI Chat Completions server on loopback")
            print("  one instant-analysis call, model answering at once (2,000 calls, one after another):")
            print("    adapter alone ms   \(BenchPrinter.quantiles(report.directCall))")
            print("    through router ms  \(BenchPrinter.quantiles(report.routedCall))")
            print(
                "    router overhead    p50 \(BenchPrinter.ms(median(report.routedCall) - median(report.directCall))) ms"
            )
            print("  embedded runtime, \(users) people × \(answers) answers, think ≈ \(thinkMs) ms:")
            print("    model answers in 300 ms: answer → feedback ms  \(BenchPrinter.quantiles(report.slowModel))")
            print(
                "    model hangs (budget \(BenchPrinter.ms(report.instantBudget)) ms): answer → feedback ms  "
                    + "\(BenchPrinter.quantiles(report.hangingModel)); \(report.hangingModelAnsweredLocally) answered by the local tier"
            )
            return
        }
        if telegram {
            let report = try await TelegramBenchmark.run(load, content: content)
            print(
                "Telegram front end on the embedded runtime, \(users) people × \(answers) answers, think ≈ \(thinkMs) ms"
            )
            print(String(format: "  %d answers in %.1f s", report.answers, report.seconds))
            print("  update → feedback sendMessage ms       \(BenchPrinter.quantiles(report.feedback))")
            print("  update → next question sendMessage ms  \(BenchPrinter.quantiles(report.nextQuestion))")
            return
        }
        for kind in kinds {
            let report = try await RuntimeBench.run(
                kind, load: load, environment: ProcessInfo.processInfo.environment, content: content)
            print(BenchPrinter.lines(report).joined(separator: "\n"))
        }
    }
}

func median(_ values: [Duration]) -> Duration {
    let sorted = values.sorted()
    return sorted.isEmpty ? .zero : sorted[sorted.count / 2]
}

/// Formats one report as the lines `selfology bench` prints.
enum BenchPrinter {
    static func lines(_ report: RuntimeBench.Report) -> [String] {
        let result = report.result
        let name =
            switch report.runtime {
            case .embedded: "embedded runtime (SQLite + in-process bus)"
            case .distributed: "distributed runtime (PostgreSQL + Redis Streams, all services in this process)"
            }
        let think = report.load.think == .zero ? "no think time" : "think ≈ \(ms(report.load.think)) ms"
        var lines = [
            "\(name), \(report.load.users) people × \(report.load.answersEach) answers, \(think)",
            String(
                format: "  %d answers in %.2f s (until every event was applied%@): %.0f answers/s", result.answers,
                result.seconds, result.settled ? "" : ", NOT settled", Double(result.answers) / result.seconds),
            String(
                format: "  events published %d: %.0f events/min end to end (target ≥ 500,000)", result.events,
                Double(result.events) / result.seconds * 60),
            "  answer → feedback ms       \(quantiles(result.feedback))  (target p95 ≤ 20)",
            "  answer → next question ms  \(quantiles(result.nextQuestion))",
            String(
                format: "  CPU of this process: %.2f ms per answer (every service in it and the simulated people; "
                    + "the servers' own not counted)",
                result.processCPU.seconds * 1000 / Double(max(1, result.answers))),
        ]
        if let servers = report.servers { lines += serverLines(servers, answers: result.answers) }
        lines += [
            String(
                format:
                    "  outbox relay, same store and bus: %.0f events/s batched (100 per transaction, one pipeline); "
                    + "%.0f events/s one per transaction, one publish each (the original design's relay)",
                report.relay.batchedEventsPerSecond, report.relay.oneByOneEventsPerSecond),
            String(
                format: "  raw store: %.0f one-row commits/s, %.0f rows/s in 100-row transactions",
                report.store.commitsPerSecond, report.store.batchedRowsPerSecond),
        ]
        if let commits = report.commits {
            lines.append(
                "  store: \(commits.transactions) transactions in \(commits.groups) commits (queued ones commit together)"
            )
        }
        if let redis = report.redis {
            lines.append(
                String(
                    format: "  raw Redis: XADD %.0f/s one at a time, %.0f/s pipelined by 100; "
                        + "XREADGROUP+XACK %.0f entries/s in batches of 100",
                    redis.singleAddsPerSecond, redis.pipelinedAddsPerSecond, redis.readAcksPerSecond))
        }
        return lines
    }

    /// Round trips and the servers' CPU per answer, the cost the distributed runtime adds to its own process's.
    static func serverLines(_ servers: ServerUsage, answers: Int) -> [String] {
        let per = { (count: Int) in String(format: "%.1f", Double(count) / Double(max(1, answers))) }
        let cpu = { (time: Duration) in String(format: "%.2f", time.seconds * 1000 / Double(max(1, answers))) }
        let postgresCPU = servers.postgresCPU.map { "\(cpu($0)) ms" } ?? "not read (the server is not on this machine)"
        return [
            "  round trips per answer: PostgreSQL \(per(servers.postgres.statements)) statements (BEGIN and COMMIT "
                + "of \(per(servers.postgres.transactions)) transactions among them), "
                + "Redis \(per(servers.redis.commands)) commands in \(per(servers.redis.roundTrips)) round trips",
            "  CPU of the servers per answer: PostgreSQL \(postgresCPU), Redis \(cpu(servers.redisCPU)) ms",
        ]
    }

    static func quantiles(_ values: [Duration]) -> String {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return "-" }
        func at(_ quantile: Double) -> String {
            ms(sorted[min(sorted.count - 1, Int((Double(sorted.count) * quantile).rounded(.up)) - 1)])
        }
        return "p50 \(at(0.5))  p95 \(at(0.95))  p99 \(at(0.99))"
    }

    static func ms(_ duration: Duration) -> String { String(format: "%.1f", duration.seconds * 1000) }
}
