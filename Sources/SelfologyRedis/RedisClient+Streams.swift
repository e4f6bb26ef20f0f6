/// The stream commands the event bus uses: one stream per event type, one consumer group per service.
extension RedisClient {
    /// Appends an entry with a server-assigned id and returns that id.
    @discardableResult
    public func xadd(_ stream: String, fields: [(String, String)]) async throws -> String {
        let reply = try await self.send(["XADD", stream, "*"] + fields.flatMap { [$0.0, $0.1] })
        guard let id = reply.string else { throw RedisError.unexpectedReply(to: "XADD") }
        return id
    }

    /// Creates the group, and the stream if needed. A group that already exists is left as it is.
    public func xgroupCreate(_ stream: String, group: String, startID: String = "0") async throws {
        do {
            _ = try await self.send(["XGROUP", "CREATE", stream, group, startID, "MKSTREAM"])
        } catch RedisError.server(let message) where message.hasPrefix("BUSYGROUP") {
            return
        }
    }

    /// Reads entries never delivered to the group (`>`) from each stream. With `block`, waits up to that long for
    /// one to arrive and returns an empty array when none did; the call's timeout is the block time plus the
    /// command timeout.
    public func xreadgroup(
        group: String, consumer: String, streams: [String], count: Int, block: Duration?
    ) async throws -> [RedisStreamEntry] {
        guard !streams.isEmpty else { return [] }
        var command = ["XREADGROUP", "GROUP", group, consumer, "COUNT", String(count)]
        var timeout = self.configuration.commandTimeout
        if let block {
            // BLOCK 0 would mean "forever", so even the shortest wait is sent as at least one millisecond.
            command += ["BLOCK", String(max(1, block.wholeMillisecondsRoundedUp))]
            timeout += block
        }
        command += ["STREAMS"] + streams + Array(repeating: ">", count: streams.count)
        let reply = try await self.send(command, timeout: timeout)
        return try StreamReply.streams(reply, command: "XREADGROUP")
    }

    /// Waits up to `block` for an entry newer than the given id in any of the streams and returns what arrived,
    /// at most `count` per stream, without a consumer group: nothing is delivered or claimed. An empty array means
    /// the wait ended with nothing new.
    public func xread(
        after positions: [(stream: String, id: String)], count: Int, block: Duration
    ) async throws -> [RedisStreamEntry] {
        guard !positions.isEmpty else { return [] }
        let command =
            ["XREAD", "COUNT", String(count), "BLOCK", String(max(1, block.wholeMillisecondsRoundedUp)), "STREAMS"]
            + positions.map(\.stream) + positions.map(\.id)
        let reply = try await self.send(command, timeout: self.configuration.commandTimeout + block)
        return try StreamReply.streams(reply, command: "XREAD")
    }

    /// Returns how many of the ids were pending and are now acknowledged.
    @discardableResult
    public func xack(_ stream: String, group: String, ids: [String]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await self.send(["XACK", stream, group] + ids).integer(for: "XACK")
    }

    /// How many times each of the ids has been delivered; ids that are not pending are absent. Each id is asked
    /// for exactly (`XPENDING stream group id id 1`, the extended form) in one pipeline: one range over all the
    /// ids would also count, and could be cut short by, other consumers' entries in between.
    public func xpendingDeliveries(_ stream: String, group: String, ids: [String]) async throws -> [String: Int] {
        guard !ids.isEmpty else { return [:] }
        let replies = try await self.pipeline(ids.map { ["XPENDING", stream, group, $0, $0, "1"] })
        var deliveries: [String: Int] = [:]
        for reply in replies {
            if case .error(let message) = reply { throw RedisError.server(message) }
            // Each reply is [[id, consumer, idle milliseconds, delivery count]], or [] when the id is not pending.
            guard let rows = reply.array else { throw RedisError.unexpectedReply(to: "XPENDING") }
            for row in rows {
                guard let columns = row.array, columns.count == 4, let id = columns[0].string,
                    let count = columns[3].int
                else { throw RedisError.unexpectedReply(to: "XPENDING") }
                deliveries[id] = count
            }
        }
        return deliveries
    }

    /// For each stream, the consumers of the group with entries pending there and how many (the summary form,
    /// `XPENDING stream group`), in one pipeline.
    public func xpendingConsumers(_ streams: [String], group: String) async throws -> [String: [String: Int]] {
        guard !streams.isEmpty else { return [:] }
        let replies = try await self.pipeline(streams.map { ["XPENDING", $0, group] })
        var pending: [String: [String: Int]] = [:]
        for (stream, reply) in zip(streams, replies) {
            if case .error(let message) = reply { throw RedisError.server(message) }
            // [count, smallest id, greatest id, [[consumer, count as a bulk string], …] or null when none].
            guard let parts = reply.array, parts.count == 4 else { throw RedisError.unexpectedReply(to: "XPENDING") }
            var byConsumer: [String: Int] = [:]
            for row in parts[3].array ?? [] {
                guard let columns = row.array, columns.count == 2, let consumer = columns[0].string,
                    let count = columns[1].string.flatMap({ Int($0) }) ?? columns[1].int
                else { throw RedisError.unexpectedReply(to: "XPENDING") }
                byConsumer[consumer] = count
            }
            pending[stream] = byConsumer
        }
        return pending
    }

    public func xinfoGroups(_ stream: String) async throws -> [RedisGroupInfo] {
        try Self.groups(from: try await self.send(["XINFO", "GROUPS", stream]))
    }

    /// The groups of several streams, in one pipeline.
    public func xinfoGroups(_ streams: [String]) async throws -> [[RedisGroupInfo]] {
        try await self.pipeline(streams.map { ["XINFO", "GROUPS", $0] }).map { reply in
            if case .error(let message) = reply { throw RedisError.server(message) }
            return try Self.groups(from: reply)
        }
    }

    private static func groups(from reply: RESPValue) throws -> [RedisGroupInfo] {
        guard let groups = reply.array else { throw RedisError.unexpectedReply(to: "XINFO GROUPS") }
        return try groups.map { group in
            // Each group is a flat [name, value, …] list; values are strings, integers or null.
            guard let flat = group.array else { throw RedisError.unexpectedReply(to: "XINFO GROUPS") }
            var values: [String: RESPValue] = [:]
            for index in stride(from: 0, to: flat.count - 1, by: 2) {
                guard let key = flat[index].string else { throw RedisError.unexpectedReply(to: "XINFO GROUPS") }
                values[key] = flat[index + 1]
            }
            guard let name = values["name"]?.string, let pending = values["pending"]?.int,
                let lastDeliveredID = values["last-delivered-id"]?.string
            else { throw RedisError.unexpectedReply(to: "XINFO GROUPS") }
            return RedisGroupInfo(
                name: name, pending: pending, lastDeliveredID: lastDeliveredID, lag: values["lag"]?.int)
        }
    }

    /// Removes entries with ids lower than `minID` (exactly, not approximately) and returns how many.
    @discardableResult
    public func xtrimMinID(_ stream: String, minID: String) async throws -> Int {
        try await self.send(["XTRIM", stream, "MINID", minID]).integer(for: "XTRIM")
    }

    public func xlen(_ stream: String) async throws -> Int {
        try await self.send(["XLEN", stream]).integer(for: "XLEN")
    }

    /// Deletes entries; returns how many of them the stream held.
    public func xdel(_ stream: String, ids: [String]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await self.send(["XDEL", stream] + ids).integer(for: "XDEL")
    }

    /// Entries from `start` to `end` inclusive ("-" and "+" for the ends of the stream), at most `count` when given.
    public func xrange(_ stream: String, start: String, end: String, count: Int? = nil) async throws
        -> [RedisStreamEntry]
    {
        var command = ["XRANGE", stream, start, end]
        if let count { command += ["COUNT", String(count)] }
        return try StreamReply.entries(try await self.send(command), stream: stream, command: "XRANGE")
    }
}
