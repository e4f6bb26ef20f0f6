import Foundation
import Logging
import SelfologyRedis
import ServiceLifecycle

/// Keeps the streams from growing without ever dropping an entry that some consumer group still needs: each
/// partition is trimmed (XTRIM MINID) only below the oldest entry any group has not acknowledged — its oldest
/// pending entry, or, when nothing is pending, the last entry delivered to it. A plain MAXLEN would silently cut
/// entries a lagging group has not read yet.
public final class StreamTrimmer: Service {
    let redis: RedisClient
    let settings: StreamSettings
    let interval: Duration
    let logger: Logger

    public init(redis: RedisClient, settings: StreamSettings, interval: Duration = .seconds(60), logger: Logger) {
        self.redis = redis
        self.settings = settings
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await trimAll()
            } catch {
                logger.warning("stream trim failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }

    /// Trims every partition; returns how many entries were removed.
    @discardableResult
    public func trimAll() async throws -> Int {
        var removed = 0
        for (group, partition) in settings.groupPartitions {
            let stream = settings.stream(group.rawValue, partition)
            guard let floor = try await safeFloor(stream) else { continue }
            removed += try await redis.xtrimMinID(stream, minID: floor)
        }
        return removed
    }

    /// The id below which every group has acknowledged everything, or nil if a group has read nothing yet.
    func safeFloor(_ stream: String) async throws -> String? {
        var floor: String?
        for group in try await redis.xinfoGroups(stream) {
            var needed = group.lastDeliveredID
            if group.pending > 0 {
                // XPENDING summary: [count, smallest pending id, largest, consumers].
                let summary = try await redis.send(["XPENDING", stream, group.name])
                guard let smallest = summary.array?[1].string else { return nil }
                needed = smallest
            }
            if needed == "0-0" { return nil }
            if floor.map({ Self.compare(needed, $0) < 0 }) ?? true { floor = needed }
        }
        return floor
    }

    /// Orders stream ids ("milliseconds-sequence") numerically.
    static func compare(_ lhs: String, _ rhs: String) -> Int {
        func parts(_ id: String) -> (UInt64, UInt64) {
            let pieces = id.split(separator: "-")
            return (UInt64(pieces.first ?? "0") ?? 0, UInt64(pieces.count > 1 ? pieces[1] : "0") ?? 0)
        }
        let (a, b) = (parts(lhs), parts(rhs))
        return a == b ? 0 : (a < b ? -1 : 1)
    }
}
