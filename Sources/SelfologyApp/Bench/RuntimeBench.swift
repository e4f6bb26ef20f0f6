import Foundation
import Logging
import SQLKit
import SelfologyContent
import SelfologyDistributed
import SelfologyEmbedded
import SelfologyPostgres
import SelfologyRedis
import SelfologyServices

/// One benchmark run of one runtime: the load of simulated people, then, on the same store and bus, the relay
/// comparison and the raw store (and Redis) rates, so every figure comes from the same machine at the same time.
public enum RuntimeBench {
    public enum Runtime: String, Sendable, CaseIterable {
        case embedded, distributed
    }

    public struct Report: Sendable {
        public let runtime: Runtime
        public let load: LoadBenchmark.Load
        public let result: LoadBenchmark.Report
        public let relay: RelayComparison.Figures
        public let store: StoreBaseline.Figures
        public let redis: RedisBaseline.Figures?
        /// On SQLite: the transactions of the load and the commits they took (`GroupCommit`).
        public let commits: GroupCommit.Counts?
        /// On PostgreSQL and Redis: what the load asked of them, and their CPU.
        public let servers: ServerUsage?
    }

    /// The distributed runtime uses `DATABASE_URL` and `REDIS_URL` from `environment`, in a schema and under
    /// stream keys of its own that are removed afterwards. `baselineSize` scales the side measurements (one-row
    /// commits; the batched and relay measurements use 10 and 2.5 times as many rows).
    public static func run(
        _ kind: Runtime, load: LoadBenchmark.Load, environment: [String: String], content: ContentLibrary,
        baselineSize: Int = 2_000
    ) async throws -> Report {
        let run = "bench\(UInt32.random(in: 0...UInt32.max))"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("selfology-\(run)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = RuntimeConfiguration(dataPath: directory.appendingPathComponent("bench.sqlite").path)
        if kind == .distributed {
            guard let database = environment["DATABASE_URL"], let redis = environment["REDIS_URL"] else {
                throw BenchError.needsServers
            }
            configuration.databaseURL = database
            configuration.redisURL = redis
            configuration.postgresSchema = run
            configuration.streams.prefix = "selfology-\(run):events"
            configuration.streams.keyPrefix = "selfology-\(run):"
            let configured = try RuntimeConfiguration.fromEnvironment(environment)
            (configuration.consumersPerGroup, configuration.consumersByGroup) = (
                configured.consumersPerGroup, configured.consumersByGroup
            )
        }
        configuration.session.targetAnswers = load.answersEach
        configuration.relay.pollInterval = .milliseconds(100)

        let transport = BenchTransport()
        let runtime = try await SelfologyRuntime.prepare(
            configuration: configuration, content: content, transport: transport,
            logger: Logger(label: "selfology.bench"))
        let group = runtime.makeServiceGroup()
        let services = Task { try await group.run() }
        let result: LoadBenchmark.Report
        let sqlite = runtime.database as? SQLiteDatabase
        let commitsBefore = sqlite?.commits
        // Its own client, so that reading Redis's CPU does not count as the runtime's traffic.
        let redis = try configuration.redisConfiguration().map { RedisClient(configuration: $0) }
        var servers: ServerUsage?
        do {
            let sample = { () async throws -> ServerUsage.Sample? in
                guard let postgres = runtime.database as? PostgresDatabase, let bus = runtime.bus as? RedisEventBus,
                    let redis
                else { return nil }
                return try await ServerUsage.Sample.take(database: postgres, bus: bus, info: redis)
            }
            let before = try await sample()
            result = try await LoadBenchmark.run(load, runtime: runtime, transport: transport)
            if let before, let after = try await sample() { servers = ServerUsage(from: before, to: after) }
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await services.value
            await redis?.close()
            try? await runtime.close()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await services.value
        var commits: GroupCommit.Counts?
        if let before = commitsBefore, let after = sqlite?.commits {
            commits = GroupCommit.Counts(
                transactions: after.transactions - before.transactions, groups: after.groups - before.groups)
        }

        let relay = try await RelayComparison.measure(
            database: runtime.database, bus: runtime.bus, events: baselineSize * 5 / 2)
        let store = try await StoreBaseline.measure(runtime.database, rows: baselineSize)
        var redisFigures: RedisBaseline.Figures?
        if let redis {
            redisFigures = try await RedisBaseline.measure(redis, stream: "selfology-\(run):raw", adds: baselineSize)
            try await removeKeys(matching: "selfology-\(run):*", in: redis)
            await redis.close()
            try await runtime.database.transaction { db in
                try await db.raw("DROP SCHEMA \(ident: run) CASCADE").run()
            }
        }
        try await runtime.close()
        return Report(
            runtime: kind, load: load, result: result, relay: relay, store: store, redis: redisFigures,
            commits: commits, servers: servers)
    }

    static func removeKeys(matching pattern: String, in redis: RedisClient) async throws {
        var cursor = "0"
        repeat {
            let reply = try await redis.send(["SCAN", cursor, "MATCH", pattern, "COUNT", "1000"]).array ?? []
            cursor = reply.first?.string ?? "0"
            let keys = (reply.dropFirst().first?.array ?? []).compactMap(\.string)
            if !keys.isEmpty { _ = try await redis.del(keys) }
        } while cursor != "0"
    }
}
