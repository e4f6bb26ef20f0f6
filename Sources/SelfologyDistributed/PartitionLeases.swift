import Foundation
import SelfologyRedis

/// Which partitions of a consumer group this consumer owns. Owning a partition alone is what keeps one person's
/// events in order when several processes of a service run: Redis hands a stream's entries to any consumer of a
/// group, so each partition is read by its leaseholder only. Consumers announce themselves with a heartbeat and
/// take at most their fair share, so partitions spread out as processes come and go.
struct PartitionLeases {
    let redis: RedisClient
    let group: String
    let owner: String
    let settings: StreamSettings

    init(redis: RedisClient, group: String, owner: String, settings: StreamSettings) {
        self.redis = redis
        self.group = group
        self.owner = owner
        self.settings = settings
    }

    private var heartbeats: String { settings.heartbeats(group) }
    private func leaseKey(_ partition: Int) -> String { settings.lease(group, partition) }
    private var ttlMillis: Int { settings.leaseTTL.wholeMillisecondsRoundedUp }

    /// Renews the held leases, drops extras beyond the fair share and takes free partitions up to it; returns
    /// the partitions now owned.
    func refresh(_ owned: Set<Int>, now: Date) async throws -> Set<Int> {
        let nowMillis = Int(now.timeIntervalSince1970 * 1000)
        let live = try await redis.eval(
            Self.heartbeat, keys: [heartbeats], arguments: [owner, String(nowMillis), String(ttlMillis)])
        let consumers = max(1, live.int ?? 1)
        let share = (settings.partitions + consumers - 1) / consumers

        var kept: Set<Int> = []
        for partition in owned.sorted() {
            let renewed = try await redis.eval(
                Self.renew, keys: [leaseKey(partition)], arguments: [owner, String(ttlMillis)])
            if renewed.int == 1 { kept.insert(partition) }
        }
        while kept.count > share, let extra = kept.max() {
            _ = try await redis.eval(Self.release, keys: [leaseKey(extra)], arguments: [owner])
            kept.remove(extra)
        }
        // Start the scan at a spot that depends on the owner, so consumers starting together spread out.
        let start = abs(owner.hashValue % settings.partitions)
        for offset in 0..<settings.partitions where kept.count < share {
            let partition = (start + offset) % settings.partitions
            guard !kept.contains(partition) else { continue }
            let taken = try await redis.send(["SET", leaseKey(partition), owner, "NX", "PX", String(ttlMillis)])
            if taken.string == "OK" { kept.insert(partition) }
        }
        return kept
    }

    /// Gives every lease back, so other consumers take over at once instead of after the TTL.
    func releaseAll(_ owned: Set<Int>) async {
        for partition in owned {
            _ = try? await redis.eval(Self.release, keys: [leaseKey(partition)], arguments: [owner])
        }
        _ = try? await redis.send(["ZREM", heartbeats, owner])
    }

    /// Records this consumer's heartbeat, forgets silent ones, and returns how many are alive.
    static let heartbeat = """
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[2]) - 3 * tonumber(ARGV[3]))
        return redis.call('ZCOUNT', KEYS[1], tonumber(ARGV[2]) - tonumber(ARGV[3]), '+inf')
        """
    static let renew = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 0
        """
    static let release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """
}
