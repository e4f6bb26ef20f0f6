import ArgumentParser
import Foundation
import SelfologyApp
import SelfologyContent

/// `selfology bench`: simulated people through the embedded runtime; prints latencies and throughput.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure the embedded runtime with simulated people (prints figures).")

    @Option(help: "Simulated people answering at the same time.") var users = 100
    @Option(help: "Answers per person.") var answers = 10

    func run() async throws {
        _ = Logs.bootstrap(default: .error)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "selfology-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try await EmbeddedBenchmark.run(
            users: users, answersEach: answers, content: try ContentLibrary.bundled(), directory: directory)

        func ms(_ values: [Duration], _ quantile: Double) -> String {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return "-" }
            let value = sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * quantile))]
            return String(format: "%.1f", EmbeddedBenchmark.seconds(value) * 1000)
        }
        print("embedded runtime (SQLite + in-process bus), \(report.users) people × \(answers) answers")
        print(
            String(
                format: "  wall time %.2f s, %d answers, %.0f answers/s", report.seconds, report.answers,
                Double(report.answers) / report.seconds))
        print(
            String(
                format: "  events published %d: %.0f events/min (target ≥ 500,000)", report.events,
                Double(report.events) / report.seconds * 60))
        print(
            "  answer → feedback ms      p50 \(ms(report.feedback, 0.5))  p95 \(ms(report.feedback, 0.95))  p99 \(ms(report.feedback, 0.99))  (target p95 ≤ 20)"
        )
        print(
            "  answer → next question ms p50 \(ms(report.nextQuestion, 0.5))  p95 \(ms(report.nextQuestion, 0.95))  p99 \(ms(report.nextQuestion, 0.99))"
        )
        print(
            String(
                format: "  raw SQLite in the same run: %.0f one-row commits/s, %.0f rows/s in 100-row transactions",
                report.rawCommitsPerSecond, report.rawBatchedRowsPerSecond))
    }
}
