import Foundation
import SelfologyContent
import SelfologyCore
import SelfologyDistributed
import SelfologyRedis
import SelfologyServices

/// Everything an operator can set, read from the environment. Defaults run Selfology offline with no setup.
public struct RuntimeConfiguration: Sendable {
    /// SQLite file of the embedded runtime; nil keeps everything in memory (tests).
    public var dataPath: String?
    /// `DATABASE_URL`: when set, the store is PostgreSQL instead of the SQLite file.
    public var databaseURL: String?
    /// PostgreSQL schema holding Selfology's tables.
    public var postgresSchema = "selfology"
    /// `SELFOLOGY_PG_PREPARE=off`: run every statement unnamed instead of preparing the frequent ones once per
    /// connection, for a pooler between Selfology and PostgreSQL that does not keep prepared statements
    /// (PgBouncer in transaction mode before 1.21, or without `max_prepared_statements`).
    public var postgresPrepares = true
    /// `REDIS_URL`: when set, the bus is Redis Streams instead of the in-process bus.
    public var redisURL: String?
    /// `SELFOLOGY_REDIS_TIMEOUT_MS`: how long one Redis call may take, from waiting for a connection to the last
    /// reply, before it fails (and the relay backs off, the rate limit fails open, the FSM cache falls back).
    public var redisCommandTimeout: Duration = .seconds(5)
    public var streams = StreamSettings()
    public var session = SessionSettings()
    public var relay = RelaySettings()
    public var housekeeping = HousekeepingSettings()
    public var consumer = ConsumerSettings()
    /// `SELFOLOGY_CONSUMERS_PER_GROUP`: consumers of each group in one process (Redis Streams only), either one
    /// number for every group or `group=count` pairs (`question_selection=4,*=1`, `*` for the groups not named).
    /// Since every consumer applies its whole batch in a few statements, one per group is best on 2 cores at every
    /// load measured (all services in one process, alternating runs): without pause 362-368 answers/s against
    /// 317-323 with four, 2.3-2.4 ms of CPU per answer against 2.8; at 1,000 people answering every ~10 s feedback
    /// p50 50 ms, p95 83 ms against 63 and 117; at 200 people every ~5 s 7% less CPU. Fewer consumers make larger
    /// batches, and each batch pays a transaction's fixed cost. More per group keep one slow or failing batch from
    /// holding up all of that group's people in this process.
    public var consumersPerGroup = 1
    /// Groups given a count of their own by `SELFOLOGY_CONSUMERS_PER_GROUP`.
    public var consumersByGroup: [ConsumerGroup: Int] = [:]

    public func consumers(of group: ConsumerGroup) -> Int { consumersByGroup[group] ?? consumersPerGroup }

    /// The Redis client's settings: `REDIS_URL` with the configured timeout; nil without Redis.
    func redisConfiguration() throws -> RedisConfiguration? {
        guard let redisURL else { return nil }
        var redis = try RedisConfiguration(url: redisURL)
        redis.commandTimeout = redisCommandTimeout
        return redis
    }

    /// Seed of question selection; a fixed seed makes every person's question path reproducible.
    public var selectionSeed: UInt64 = 0x5E1F_0106
    /// Country whose crisis services are shown first (ISO code); nil follows the person's language.
    public var crisisCountry: String?
    /// An operator's own crisis-resources file, replacing the bundled one.
    public var crisisResourcesFile: String?
    /// Remote models, budgets and Qdrant; empty runs on the local tier alone.
    public var ai = AIConfiguration()

    public init(dataPath: String?) { self.dataPath = dataPath }

    /// `SELFOLOGY_DATA` (file), `SELFOLOGY_TARGET_ANSWERS`, `SELFOLOGY_SESSION_TIMEOUT` (seconds),
    /// `SELFOLOGY_TIMEOUT_CHECK` (seconds), `SELFOLOGY_SEED`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> RuntimeConfiguration
    {
        var configuration = RuntimeConfiguration(
            dataPath: environment["SELFOLOGY_DATA"] ?? defaultDataPath(environment))
        if let value = environment["SELFOLOGY_TARGET_ANSWERS"] {
            configuration.session.targetAnswers = try positive(value, "SELFOLOGY_TARGET_ANSWERS")
        }
        if let value = environment["SELFOLOGY_SESSION_TIMEOUT"] {
            configuration.session.inactivityTimeout = TimeInterval(try positive(value, "SELFOLOGY_SESSION_TIMEOUT"))
        }
        if let value = environment["SELFOLOGY_TIMEOUT_CHECK"] {
            configuration.session.monitorInterval = .seconds(try positive(value, "SELFOLOGY_TIMEOUT_CHECK"))
        }
        configuration.databaseURL = environment["DATABASE_URL"]
        configuration.redisURL = environment["REDIS_URL"]
        if let schema = environment["SELFOLOGY_PG_SCHEMA"] { configuration.postgresSchema = schema }
        switch environment["SELFOLOGY_PG_PREPARE"] {
        case nil, "on": configuration.postgresPrepares = true
        case "off": configuration.postgresPrepares = false
        case let other?: throw ConfigurationError.notOnOrOff("SELFOLOGY_PG_PREPARE", other)
        }
        if let prefix = environment["SELFOLOGY_STREAM_PREFIX"] { configuration.streams.prefix = prefix }
        if let value = environment["SELFOLOGY_STREAM_PARTITIONS"] {
            configuration.streams.partitions = try positive(value, "SELFOLOGY_STREAM_PARTITIONS")
        }
        if let value = environment["SELFOLOGY_LEASE_TTL_MS"] {
            configuration.streams.leaseTTL = .milliseconds(try positive(value, "SELFOLOGY_LEASE_TTL_MS"))
        }
        if let value = environment["SELFOLOGY_CLAIM_IDLE_MS"] {
            configuration.streams.claimIdle = .milliseconds(try positive(value, "SELFOLOGY_CLAIM_IDLE_MS"))
        }
        if let value = environment["SELFOLOGY_REDIS_TIMEOUT_MS"] {
            configuration.redisCommandTimeout = .milliseconds(try positive(value, "SELFOLOGY_REDIS_TIMEOUT_MS"))
        }
        if let value = environment["SELFOLOGY_CONSUMERS_PER_GROUP"] {
            (configuration.consumersPerGroup, configuration.consumersByGroup) = try consumerCounts(
                value, default: configuration.consumersPerGroup)
        }
        configuration.ai = try AIConfiguration.fromEnvironment(environment)
        configuration.crisisCountry = environment["SELFOLOGY_CRISIS_COUNTRY"]
        configuration.crisisResourcesFile = environment["SELFOLOGY_CRISIS_RESOURCES"]
        if let value = environment["SELFOLOGY_SEED"] {
            guard let seed = UInt64(value) else { throw ConfigurationError.invalid("SELFOLOGY_SEED", value) }
            configuration.selectionSeed = seed
        }
        return configuration
    }

    /// `$XDG_DATA_HOME/selfology/selfology.sqlite`, else `~/.local/share/selfology/selfology.sqlite`.
    public static func defaultDataPath(_ environment: [String: String]) -> String {
        dataFolder(environment).appendingPathComponent("selfology.sqlite").path
    }

    /// Where the terminal saves copies of people's data (/mydata): `copies` beside the default store.
    public static func copiesFolder(_ environment: [String: String]) -> URL {
        dataFolder(environment).appendingPathComponent("copies")
    }

    private static func dataFolder(_ environment: [String: String]) -> URL {
        let base =
            environment["XDG_DATA_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share")
        return base.appendingPathComponent("selfology")
    }

    /// `4`, or `group=count` pairs separated by commas with `*` for every group not named.
    static func consumerCounts(_ value: String, default fallback: Int) throws -> (Int, [ConsumerGroup: Int]) {
        let name = "SELFOLOGY_CONSUMERS_PER_GROUP"
        if Int(value) != nil { return (try positive(value, name), [:]) }
        var rest = fallback
        var byGroup: [ConsumerGroup: Int] = [:]
        for pair in value.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let count = Int(parts[1]), count > 0 else {
                throw ConfigurationError.invalidConsumers(value)
            }
            if parts[0] == "*" {
                rest = count
            } else if let group = ConsumerGroup(rawValue: parts[0]) {
                byGroup[group] = count
            } else {
                throw ConfigurationError.invalidConsumers(value)
            }
        }
        return (rest, byGroup)
    }

    private static func positive(_ value: String, _ name: String) throws -> Int {
        guard let number = Int(value), number > 0 else { throw ConfigurationError.invalid(name, value) }
        return number
    }
}

public enum ConfigurationError: Error, CustomStringConvertible {
    case invalid(String, String)
    case invalidConsumers(String)
    case notOnOrOff(String, String)
    public var description: String {
        switch self {
        case .invalid(let name, let value): "\(name)=\(value) is not valid: expected a positive whole number"
        case .notOnOrOff(let name, let value): "\(name)=\(value) is not valid: expected on or off"
        case .invalidConsumers(let value):
            "SELFOLOGY_CONSUMERS_PER_GROUP=\(value) is not valid: expected a positive whole number, or group=count "
                + "pairs separated by commas, * for the groups not named (groups: "
                + ConsumerGroup.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        }
    }
}

extension RuntimeConfiguration {
    /// The crisis detector and the resources to show, from the content and the operator's settings.
    public func safetyPolicy(content: ContentLibrary) throws -> SafetyPolicy {
        let content =
            try crisisResourcesFile.map { try content.withCrisisResources(from: URL(fileURLWithPath: $0)) } ?? content
        return SafetyPolicy(detector: content.crisis, resources: content.crisisResources, country: crisisCountry)
    }
}
