import Foundation
import SelfologyApp
import SelfologyContent
import Testing

/// `selfology bench` itself: a small load through each available runtime must account for every answer and
/// every event, and measure the side figures on the same store and bus.
@Suite("Benchmark harness")
struct BenchmarkTests {
    static var runtimes: [RuntimeBench.Runtime] {
        TestStore.postgresURL != nil && TestStore.redisURL != nil ? [.embedded, .distributed] : [.embedded]
    }

    @Test("a small load is measured end to end, with the relay, store and bus figures", arguments: runtimes)
    func smallLoad(runtime: RuntimeBench.Runtime) async throws {
        var environment: [String: String] = [:]
        environment["DATABASE_URL"] = TestStore.postgresURL
        environment["REDIS_URL"] = TestStore.redisURL
        let load = LoadBenchmark.Load(users: 3, answersEach: 3, think: .milliseconds(5))
        let report = try await RuntimeBench.run(
            runtime, load: load, environment: environment, content: TestRuntime.content, baselineSize: 100)
        #expect(report.result.settled)
        #expect(report.result.answers == 9)
        #expect(report.result.feedback.count == 9)
        // The last answer of each person ends the onboarding: no next question follows it.
        #expect(report.result.nextQuestion.count == 6)
        // Every answer causes at least submitted, instant and deep analysis, trait and profile events.
        #expect(report.result.events >= 9 * 5)
        #expect(report.relay.batchedEventsPerSecond > 0 && report.relay.oneByOneEventsPerSecond > 0)
        #expect(report.store.commitsPerSecond > 0 && report.store.batchedRowsPerSecond > 0)
        #expect((report.redis != nil) == (runtime == .distributed))
    }

    @Test("the distributed runtime without servers is refused with a clear reason")
    func distributedNeedsServers() async throws {
        let load = LoadBenchmark.Load(users: 1, answersEach: 1, think: .zero)
        await #expect {
            _ = try await RuntimeBench.run(.distributed, load: load, environment: [:], content: TestRuntime.content)
        } throws: { error in
            "\(error)".contains("DATABASE_URL and REDIS_URL")
        }
    }
}
