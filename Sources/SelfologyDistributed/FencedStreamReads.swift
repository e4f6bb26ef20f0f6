import SelfologyRedis

/// Reads of leased partitions that Redis performs only while the lease is still the reader's. The lease check and
/// the read run as one script, so they are atomic: a consumer that stalled past its lease between renewing it and
/// reading (a long pause, a starved machine) reads nothing from a partition that has passed to another consumer,
/// and learns that it lost it. Together with the settling check (a new owner reads nothing newer while the old one
/// still has entries pending), a person's events are never applied by two consumers side by side.
struct FencedStreamReads {
    let redis: RedisClient
    let group: String
    let consumer: String
    let settings: StreamSettings

    /// What one fenced read found.
    struct NewEntries {
        var entries: [RedisStreamEntry] = []
        /// Partitions whose lease is no longer this consumer's.
        var lost: Set<Int> = []
        /// Leased partitions with nothing new, each with the id of its newest entry, so a wait can start there.
        var drained: [(stream: String, id: String)] = []
    }

    /// Entries never delivered to the group from each partition still leased to this consumer, up to `count`
    /// each; one round trip for all of them.
    func readNew(_ partitions: [Int], count: Int) async throws -> NewEntries {
        guard !partitions.isEmpty else { return NewEntries() }
        let keys = partitions.flatMap { [settings.lease(group, $0), settings.stream(group, $0)] }
        let reply = try await redis.eval(
            Self.readNewScript, keys: keys, arguments: [consumer, group, String(count)])
        guard let parts = reply.array, parts.count == 3, let read = parts[0].array, let lost = parts[1].array,
            let drained = parts[2].array, drained.count.isMultiple(of: 2)
        else { throw RedisError.protocolViolation("unexpected reply to the fenced read") }
        let partitionOf = Dictionary(uniqueKeysWithValues: partitions.map { (settings.stream(group, $0), $0) })
        var result = NewEntries()
        result.entries = try StreamReply.streams(.array(read), command: "XREADGROUP")
        result.lost = Set(lost.compactMap { $0.string.flatMap { partitionOf[$0] } })
        for index in stride(from: 0, to: drained.count, by: 2) {
            guard let stream = drained[index].string, let id = drained[index + 1].string else {
                throw RedisError.protocolViolation("unexpected reply to the fenced read")
            }
            result.drained.append((stream, id))
        }
        return result
    }

    /// Waits up to `block` for an entry after the given positions, taking none: a blocking read cannot run inside
    /// a script, so the wait is a plain XREAD and the entries are then read under the fence. Returns the streams
    /// that have something after their position (empty when the wait ran out).
    func streamsWithNew(after positions: [(stream: String, id: String)], block: Duration) async throws -> Set<String> {
        Set(try await redis.xread(after: positions, count: 1, block: block).map(\.stream))
    }

    /// Takes over entries of the partition pending longer than `claimIdle` (XAUTOCLAIM), if the lease is still
    /// this consumer's; `nil` when it is not.
    func claimIdle(_ partition: Int, count: Int) async throws -> [RedisStreamEntry]? {
        let stream = settings.stream(group, partition)
        let reply = try await redis.eval(
            Self.claimScript, keys: [settings.lease(group, partition), stream],
            arguments: [consumer, group, String(settings.claimIdle.wholeMillisecondsRoundedUp), String(count)])
        if reply.isNull { return nil }
        // [next id, entries, deleted ids]: the entries only; Redis drops deleted ones from the pending list itself.
        guard let parts = reply.array, parts.count >= 2 else {
            throw RedisError.protocolViolation("unexpected reply to the fenced claim")
        }
        return try StreamReply.entries(parts[1], stream: stream, command: "XAUTOCLAIM")
    }

    /// KEYS: lease, stream pairs. ARGV: consumer (the lease's owner), group, count. Returns {XREADGROUP-shaped
    /// entries, streams whose lease is lost, {stream, newest id} pairs of the drained ones}. XREADGROUP without
    /// BLOCK in a script is what Redis allows; an empty read answers false.
    static let readNewScript = """
        local read, lost, drained = {}, {}, {}
        for i = 1, #KEYS, 2 do
          local stream = KEYS[i + 1]
          if redis.call('GET', KEYS[i]) ~= ARGV[1] then
            lost[#lost + 1] = stream
          else
            local reply = redis.call('XREADGROUP', 'GROUP', ARGV[2], ARGV[1], 'COUNT', ARGV[3], 'STREAMS', stream, '>')
            if reply then
              read[#read + 1] = reply[1]
            else
              local newest = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)
              drained[#drained + 1] = stream
              drained[#drained + 1] = newest[1] and newest[1][1] or '0-0'
            end
          end
        end
        return {read, lost, drained}
        """

    /// KEYS: lease, stream. ARGV: consumer (the lease's owner), group, min idle ms, count.
    static let claimScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
        return redis.call('XAUTOCLAIM', KEYS[2], ARGV[2], ARGV[1], ARGV[3], '0-0', 'COUNT', ARGV[4])
        """
}
