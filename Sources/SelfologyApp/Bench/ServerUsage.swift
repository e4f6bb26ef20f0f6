import Foundation
import SQLKit
import SelfologyDistributed
import SelfologyPostgres
import SelfologyRedis
import SelfologyServices

/// What the distributed runtime asked of PostgreSQL and Redis during a load, and the CPU time the servers spent
/// on it: with this process's own CPU, the whole cost of an answer on the machine. Round trips are counted by
/// this process's clients; Redis reports its CPU itself (`INFO cpu`); PostgreSQL's is read from `/proc` for the
/// server processes `pg_stat_activity` lists, so only when the server runs on this machine.
public struct ServerUsage: Sendable {
    public let postgres: PostgresTraffic
    public let redis: RedisTraffic
    /// Nil when PostgreSQL's processes could not be read (a server on another machine).
    public let postgresCPU: Duration?
    public let redisCPU: Duration

    /// A reading of the counters, taken before and after the load.
    struct Sample: Sendable {
        let postgres: PostgresTraffic
        let redis: RedisTraffic
        /// CPU time so far of each PostgreSQL process, by pid.
        let postgresProcesses: [Int: Duration]
        let redisCPU: Duration

        static func take(
            database: PostgresDatabase, bus: RedisEventBus, info redis: RedisClient
        ) async throws -> Sample {
            let pids = try await database.read { db in
                try await db.raw("SELECT pid FROM pg_stat_activity").all().map {
                    try $0.decode(column: "pid", as: Int.self)
                }
            }
            var processes: [Int: Duration] = [:]
            for pid in pids {
                if let time = ProcessCPU.ofPostgres(pid: pid) { processes[pid] = time }
            }
            let info = try await redis.send(["INFO", "cpu"]).string ?? ""
            return Sample(
                postgres: database.traffic, redis: bus.traffic, postgresProcesses: processes,
                redisCPU: ProcessCPU.redisCPU(info: info))
        }
    }

    /// A process that started during the load counts whole; one that ended during it (a connection the pool
    /// closed, an autovacuum worker) is missed.
    init(from before: Sample, to after: Sample) {
        postgres = after.postgres - before.postgres
        redis = after.redis - before.redis
        postgresCPU =
            after.postgresProcesses.isEmpty
            ? nil
            : after.postgresProcesses.reduce(Duration.zero) { sum, process in
                sum + process.value - (before.postgresProcesses[process.key] ?? .zero)
            }
        redisCPU = after.redisCPU - before.redisCPU
    }
}

/// CPU time of server processes, as the system and Redis report it.
enum ProcessCPU {
    /// User and system time of a PostgreSQL process on this machine, from `/proc/<pid>/stat`; nil when there is no
    /// such process here or it is not PostgreSQL's (its pid came from a server elsewhere).
    static func ofPostgres(pid: Int) -> Duration? {
        guard let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
            comm.trimmingCharacters(in: .whitespacesAndNewlines) == "postgres",
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        else { return nil }
        return cpuTime(stat: stat, ticksPerSecond: sysconf(Int32(_SC_CLK_TCK)))
    }

    /// utime and stime, the 14th and 15th fields of a `/proc/<pid>/stat` line, in clock ticks. They are counted
    /// after the command's closing parenthesis, since the command itself may hold spaces.
    static func cpuTime(stat: String, ticksPerSecond: Int) -> Duration? {
        guard let close = stat.lastIndex(of: ")"), ticksPerSecond > 0 else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // The fields after the command start with the 3rd (state): utime is the 11th of them.
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return .milliseconds((user + system) * 1000 / ticksPerSecond)
    }

    /// The server's user and system CPU seconds from an `INFO cpu` reply (its children, such as a background save,
    /// not counted).
    static func redisCPU(info: String) -> Duration {
        var seconds = 0.0
        for line in info.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, ["used_cpu_sys", "used_cpu_user"].contains(String(parts[0])),
                let value = Double(parts[1].trimmingCharacters(in: .whitespaces))
            else { continue }
            seconds += value
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
