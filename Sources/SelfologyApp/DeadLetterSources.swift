import Foundation
import Logging
import SelfologyCore
import SelfologyDistributed
import SelfologyRedis
import SelfologyServices

/// What `selfology dead-letters` works on: the events consumer groups set aside in the store (`DeadLetters`),
/// and with Redis Streams the entries set aside before a handler saw them (`DeadLetterStream`).
public struct DeadLetterSources: Sendable {
    let database: any Database
    let stream: DeadLetterStream?
    let closeAll: @Sendable () async throws -> Void

    public static func open(_ configuration: RuntimeConfiguration, logger: Logger) async throws -> DeadLetterSources {
        let (database, closeStore) = try await SelfologyRuntime.openStore(configuration, logger: logger)
        _ = try await Migrator.migrate(database)
        guard let redisConfiguration = try configuration.redisConfiguration() else {
            return DeadLetterSources(database: database, stream: nil, closeAll: closeStore)
        }
        let redis = RedisClient(configuration: redisConfiguration, logger: logger)
        return DeadLetterSources(
            database: database, stream: DeadLetterStream(redis: redis, settings: configuration.streams),
            closeAll: {
                await redis.close()
                try await closeStore()
            })
    }

    /// One line per dead letter: ids, type and reason, never the payload.
    public func list(group: ConsumerGroup?) async throws -> [String] {
        let letters = try await database.read { db in try await DeadLetters.list(group: group, in: db) }
        let formatter = ISO8601DateFormatter()
        var lines = letters.map { letter in
            "store \(letter.id)  \(formatter.string(from: letter.failedAt))  \(letter.group)  \(letter.eventType)  "
                + "\(letter.eventID.rawValue)  \(letter.attempts) attempts: \(letter.error.prefix(160))"
        }
        for entry in try await stream?.list(group: group) ?? [] {
            lines.append("stream \(entry.id)  \(entry.group)  \(entry.eventType)  \(entry.eventID): \(entry.reason)")
        }
        return lines
    }

    /// Puts every dead letter back (see `DeadLetters.requeue` and `DeadLetterStream.replay`); returns a summary.
    public func replay(group: ConsumerGroup?) async throws -> String {
        let letters = try await database.read { db in try await DeadLetters.list(group: group, in: db) }
        var (requeued, gone) = (0, 0)
        for letter in letters {
            switch try await database.transaction({ db in try await DeadLetters.requeue(letter, in: db) }) {
            case .requeued: requeued += 1
            case .gone: gone += 1
            }
        }
        var summary = "store: put back \(requeued) of \(letters.count)"
        if gone > 0 { summary += " (\(gone) past the outbox retention stay)" }
        if let stream {
            let (replayed, kept) = try await stream.replay(group: group)
            summary += "; stream: put back \(replayed) of \(replayed + kept)"
            if kept > 0 { summary += " (\(kept) unreadable stay)" }
        }
        return summary
    }

    public func close() async throws { try await closeAll() }
}
