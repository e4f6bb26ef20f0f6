import Foundation
import Logging
import SelfologyCore
import SelfologyRedis
import SelfologyServices

/// One consumer of a group: reads only the partitions it leases (checked by Redis at each read, see
/// `FencedStreamReads`), takes over entries left pending too long, and sets aside entries delivered too often.
/// Entries of types the group does not consume are acked unseen.
actor RedisStreamConsumer: EventConsumer {
    let redis: RedisClient
    let group: ConsumerGroup
    let name: String
    let types: Set<EventType>
    let settings: StreamSettings
    let logger: Logger
    let envelopes: SharedEnvelopes
    let acks: DeferredAcks
    private let leases: PartitionLeases
    private let fenced: FencedStreamReads
    private var owned: Set<Int> = []
    /// Partitions just leased whose previous owner may still be applying entries it read (its lease lapsed while
    /// it worked): reading past those would apply a person's later events before earlier ones, so a settling
    /// partition gives no new entries until no other consumer has any pending there. Its entries idle past
    /// `claimIdle` are taken over meanwhile, in order.
    private var settling: Set<Int> = []
    private var lastLeaseRefresh = ContinuousClock.now - .seconds(3600)
    /// For its first lease period a consumer refreshes often. Consumers that start together each see only those
    /// registered before them, so the first takes every partition and would give the extras away only at its next
    /// refresh, a third of the lease time later, while the others wait idle.
    private let joined = ContinuousClock.now
    private var lastTakeOver = ContinuousClock.now - .seconds(3600)
    /// Where the fenced reads left the readable partitions, while each was read to its end: the next read waits
    /// from there at once. Asking the fence again first only to hear that nothing new had come was a third of this
    /// consumer's round trips at light load, where every batch is one event.
    private var readTo: ReadPositions?

    init(
        redis: RedisClient, group: ConsumerGroup, envelopes: SharedEnvelopes, acks: DeferredAcks, name: String,
        types: Set<EventType>, settings: StreamSettings, logger: Logger
    ) {
        self.redis = redis
        self.envelopes = envelopes
        self.acks = acks
        self.group = group
        self.name = name
        self.types = types
        self.settings = settings
        self.logger = logger
        leases = PartitionLeases(redis: redis, group: group.rawValue, owner: name, settings: settings)
        fenced = FencedStreamReads(redis: redis, group: group.rawValue, consumer: name, settings: settings)
    }

    func read(max: Int, wait: Duration) async throws -> [Delivery] {
        // Leases are renewed well within their lifetime; between refreshes the owned set changes only when a
        // fenced read finds a lease lost.
        let before = owned
        if ContinuousClock.now - lastLeaseRefresh > refreshInterval {
            // Timed from the start: a lease renewed during a slow refresh runs from when it was renewed.
            let started = ContinuousClock.now
            owned = try await leases.refresh(owned, now: Date())
            lastLeaseRefresh = started
            settling = settling.union(owned.subtracting(before)).intersection(owned)
        }
        if !settling.isEmpty { settling = try await stillHeldByOthers(settling) }
        guard !owned.isEmpty else {
            try await Task.sleep(for: min(wait, refreshInterval))
            return []
        }
        // An entry only becomes claimable after `claimIdle`, so looking a few times in that period is enough
        // (one XAUTOCLAIM per partition on every read was most of this consumer's Redis traffic). Partitions
        // just leased are looked at at once, and a full take-over batch means more may wait.
        var deliveries: [Delivery] = []
        if owned != before || ContinuousClock.now - lastTakeOver > settings.claimIdle / 3 {
            deliveries = try await takeOver(max: max)
            if deliveries.count < max { lastTakeOver = .now }
        }
        let readable = owned.subtracting(settling).sorted()
        if deliveries.isEmpty && readable.isEmpty {
            try await Task.sleep(for: min(wait, refreshInterval))
        } else if deliveries.isEmpty {
            deliveries = try await readNew(readable, max: max, wait: wait)
        }
        return deliveries
    }

    /// New entries of the readable partitions, waiting up to `wait` when there are none. COUNT applies per
    /// stream, so the batch is split among the partitions read and a read never returns more than `max`.
    private func readNew(_ partitions: [Int], max: Int, wait: Duration) async throws -> [Delivery] {
        var waited = false
        while true {
            var reading = partitions
            if let known = readTo, known.partitions == partitions {
                // One wait per read: a wake whose entries another consumer had already been given reads nothing.
                guard !waited else { return [] }
                waited = true
                reading = known.woken(try await fenced.streamsWithNew(after: known.waitPoints, block: wait))
                guard !reading.isEmpty else { return [] }
            }
            let count = Swift.max(1, max / reading.count)
            let found = try await fenced.readNew(reading, count: count)
            forget(found.lost)
            readTo = ReadPositions.after(
                found, read: reading, count: count, of: partitions.filter(owned.contains), before: readTo,
                stream: { settings.stream(group.rawValue, $0) })
            // Nothing yet, every partition read to its end: wait from there.
            if found.entries.isEmpty, readTo != nil { continue }
            return try await accept(found.entries, attempts: [:])
        }
    }

    /// Partitions whose lease passed to another consumer while this one was not looking: it reads nothing more
    /// there until a refresh leases them again.
    private func forget(_ lost: Set<Int>) {
        guard !lost.isEmpty else { return }
        logger.notice(
            "partition leases lost to another consumer",
            metadata: ["group": "\(group.rawValue)", "partitions": "\(lost.sorted())"])
        owned.subtract(lost)
        settling.subtract(lost)
    }

    /// A third of the lease time (renewed well within it), and at most 250 ms while joining.
    private var refreshInterval: Duration {
        let settled = ContinuousClock.now - joined > settings.leaseTTL
        return settled ? settings.leaseTTL / 3 : min(settings.leaseTTL / 3, .milliseconds(250))
    }

    /// The partitions among these where another consumer of the group still has entries pending.
    private func stillHeldByOthers(_ partitions: Set<Int>) async throws -> Set<Int> {
        let streams = Dictionary(uniqueKeysWithValues: partitions.map { ($0, settings.stream(group.rawValue, $0)) })
        let pending = try await redis.xpendingConsumers(Array(streams.values), group: group.rawValue)
        return partitions.filter { partition in
            (pending[streams[partition] ?? ""] ?? [:]).contains { consumer, count in consumer != name && count > 0 }
        }
    }

    /// Queues the acks (`DeferredAcks`): they go with the relay's next publish or within `ackLinger`.
    func ack(_ deliveries: [Delivery]) async throws {
        var byStream: [String: [String]] = [:]
        for delivery in deliveries {
            guard let (stream, id) = Self.split(delivery.tag) else { continue }
            byStream[stream, default: []].append(id)
        }
        for (stream, ids) in byStream { acks.add(ids, stream: stream, group: group.rawValue) }
    }

    /// Not acking is enough: the entry stays pending and is taken over again once it has been idle long enough.
    func release(_ deliveries: [Delivery], delay: Duration) async throws {}

    /// Sends the acks waiting before giving up the leases, so the next owner finds nothing pending of this one.
    func stop() async {
        await acks.flush()
        await leases.releaseAll(owned)
        owned = []
        settling = []
    }

    /// Entries pending longer than `claimIdle` in the owned partitions (left by a crashed consumer, or released).
    private func takeOver(max: Int) async throws -> [Delivery] {
        var entries: [RedisStreamEntry] = []
        var lost: Set<Int> = []
        for partition in owned.sorted() where entries.count < max {
            guard let claimed = try await fenced.claimIdle(partition, count: max - entries.count) else {
                lost.insert(partition)
                continue
            }
            entries += claimed
        }
        forget(lost)
        guard !entries.isEmpty else { return [] }
        var attempts: [String: Int] = [:]
        for stream in Set(entries.map(\.stream)) {
            let ids = entries.filter { $0.stream == stream }.map(\.id)
            for (id, count) in try await redis.xpendingDeliveries(stream, group: group.rawValue, ids: ids) {
                attempts["\(stream)|\(id)"] = count
            }
        }
        return try await accept(entries, attempts: attempts)
    }

    /// Turns entries into deliveries; acks those the group does not consume, dead-letters those tried too often
    /// or unreadable.
    private func accept(_ entries: [RedisStreamEntry], attempts: [String: Int]) async throws -> [Delivery] {
        var deliveries: [Delivery] = []
        var skipped: [RedisStreamEntry] = []
        for entry in entries {
            let tag = "\(entry.stream)|\(entry.id)"
            let attempt = attempts[tag] ?? 1
            guard let envelope = StreamEnvelope.envelope(from: entry.fields) else {
                try await deadLetter(entry, reason: "unreadable entry")
                continue
            }
            guard types.contains(envelope.type) else {
                skipped.append(entry)
                continue
            }
            if attempt > settings.maxDeliveries {
                try await deadLetter(entry, reason: "delivered \(attempt) times")
                continue
            }
            deliveries.append(Delivery(envelope: envelopes.shared(envelope), tag: tag, attempt: attempt))
        }
        for stream in Set(skipped.map(\.stream)) {
            try await redis.xack(stream, group: group.rawValue, ids: skipped.filter { $0.stream == stream }.map(\.id))
        }
        return deliveries
    }

    private func deadLetter(_ entry: RedisStreamEntry, reason: String) async throws {
        logger.error(
            "event set aside in the dead-letter stream",
            metadata: [
                "group": "\(group.rawValue)", "entry": "\(entry.id)", "event_type": "\(entry.fields["type"] ?? "?")",
                "reason": "\(reason)",
            ])
        try await DeadLetterStream(redis: redis, settings: settings).add(entry, group: group, reason: reason)
        try await redis.xack(entry.stream, group: group.rawValue, ids: [entry.id])
    }

    static func split(_ tag: String) -> (String, String)? {
        guard let bar = tag.lastIndex(of: "|") else { return nil }
        return (String(tag[..<bar]), String(tag[tag.index(after: bar)...]))
    }
}
