import SelfologyCore
import SelfologyRedis

/// The entries stream consumers set aside before any handler saw them (`RedisStreamConsumer`): unreadable, or
/// delivered more often than allowed, which is what a long store outage does, since no process can settle an
/// event then. Each keeps its fields with the group, the stream and the entry it came from, and the reason.
public struct DeadLetterStream: Sendable {
    let redis: RedisClient
    let settings: StreamSettings

    public struct Entry: Sendable, Equatable {
        public let id: String
        public let group: String
        public let eventType: String
        public let eventID: String
        public let reason: String
    }

    public init(redis: RedisClient, settings: StreamSettings) {
        self.redis = redis
        self.settings = settings
    }

    /// Sets a stream entry aside: its fields, then the group, the stream and the entry it came from, and why.
    func add(_ entry: RedisStreamEntry, group: ConsumerGroup, reason: String) async throws {
        let fields = entry.fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        _ = try await redis.xadd(
            settings.deadLetterStream,
            fields: fields + [
                ("group", group.rawValue), ("stream", entry.stream), ("entry", entry.id), ("reason", reason),
            ])
    }

    /// The entries, oldest first; of one group if given.
    public func list(group: ConsumerGroup? = nil) async throws -> [Entry] {
        try await entries(group: group).map { entry in
            Entry(
                id: entry.id, group: entry.fields["group"] ?? "?", eventType: entry.fields["type"] ?? "?",
                eventID: entry.fields["id"] ?? "?", reason: entry.fields["reason"] ?? "?")
        }
    }

    /// Adds each readable entry back to the end of the stream it came from, then deletes it here. Its group applies
    /// it unless its mark says it did already (an ack that never arrived); a crash between the two steps only
    /// adds it twice, which the marks make harmless. Unreadable entries stay. Returns how many went back, and how
    /// many stayed.
    public func replay(group: ConsumerGroup? = nil) async throws -> (replayed: Int, kept: Int) {
        var (replayed, kept) = (0, 0)
        for entry in try await entries(group: group) {
            guard let envelope = StreamEnvelope.envelope(from: entry.fields), let stream = entry.fields["stream"],
                stream.hasPrefix(settings.prefix + ":")
            else {
                kept += 1
                continue
            }
            _ = try await redis.xadd(stream, fields: StreamEnvelope.fields(of: envelope))
            _ = try await redis.xdel(settings.deadLetterStream, ids: [entry.id])
            replayed += 1
        }
        return (replayed, kept)
    }

    /// Deletes the entries of events about forgotten people from before their erasure (an earlier trace), given
    /// each one's erasure trace; returns how many. Without it the event, an answer's text perhaps, would stay here
    /// until an operator replayed or deleted it. Unreadable entries name no person and stay.
    public func deleteErased(_ erasures: [UserID: String]) async throws -> Int {
        guard !erasures.isEmpty else { return 0 }
        let forgotten = try await entries(group: nil).filter { entry in
            guard let user = entry.fields["user_id"], let trace = entry.fields["trace_id"],
                let erasure = erasures[UserID(user)]
            else { return false }
            return trace < erasure
        }
        return try await redis.xdel(settings.deadLetterStream, ids: forgotten.map(\.id))
    }

    private func entries(group: ConsumerGroup?) async throws -> [RedisStreamEntry] {
        var all: [RedisStreamEntry] = []
        var start = "-"
        while true {
            let page = try await redis.xrange(settings.deadLetterStream, start: start, end: "+", count: 100)
            all += page
            guard page.count == 100, let last = page.last else { break }
            start = "(" + last.id
        }
        return all.filter { group == nil || $0.fields["group"] == group?.rawValue }
    }
}
