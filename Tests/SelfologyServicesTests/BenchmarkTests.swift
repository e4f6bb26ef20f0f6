import Foundation
import SelfologyContent
import Testing

@testable import SelfologyApp

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
        #expect((report.servers != nil) == (runtime == .distributed))
        if let servers = report.servers {
            // Each answer's events are applied in transactions: BEGIN, at least one statement, COMMIT.
            #expect(servers.postgres.transactions >= 9)
            #expect(servers.postgres.statements >= 3 * servers.postgres.transactions)
            #expect(servers.redis.roundTrips >= 9 && servers.redis.commands >= servers.redis.roundTrips)
            // The test script runs PostgreSQL on this machine, so its processes' CPU can be read (in clock ticks of
            // 10 ms: a load this small may not last one).
            #expect(try #require(servers.postgresCPU) >= .zero)
            // Redis reports its CPU in microseconds: a load of hundreds of commands always shows.
            #expect(servers.redisCPU > .zero)
        }
    }

    @Test("a process's CPU time is read from its /proc stat line, whatever its command holds")
    func readsProcessCPU() {
        let stat = "4242 (postgres: a (b) c) S 1 4242 4242 0 -1 4194560 1200 0 0 0 150 37 0 0 20 0 1 0 99 0 0"
        #expect(ProcessCPU.cpuTime(stat: stat, ticksPerSecond: 100) == .milliseconds(1_870))
        #expect(ProcessCPU.cpuTime(stat: "4242 (postgres) S 1", ticksPerSecond: 100) == nil)
        let info = "# CPU\r\nused_cpu_sys:1.250000\r\nused_cpu_user:2.500000\r\nused_cpu_sys_children:9.0\r\n"
        #expect(ProcessCPU.redisCPU(info: info) == .milliseconds(3_750))
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
