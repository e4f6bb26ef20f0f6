/// One stream entry as read by XREADGROUP, XAUTOCLAIM or XRANGE.
public struct RedisStreamEntry: Sendable, Equatable {
    public let stream: String
    public let id: String
    public let fields: [String: String]

    public init(stream: String, id: String, fields: [String: String]) {
        self.stream = stream
        self.id = id
        self.fields = fields
    }
}

/// One consumer group of a stream, from XINFO GROUPS.
public struct RedisGroupInfo: Sendable, Equatable {
    public let name: String
    /// Entries delivered to the group's consumers and not yet acknowledged.
    public let pending: Int
    public let lastDeliveredID: String
    /// Entries not yet delivered to the group; `nil` when Redis cannot tell (before 7.0, or after some deletions).
    public let lag: Int?

    public init(name: String, pending: Int, lastDeliveredID: String, lag: Int?) {
        self.name = name
        self.pending = pending
        self.lastDeliveredID = lastDeliveredID
        self.lag = lag
    }
}

/// Turning stream replies into entries. The shapes were checked against redis-server 7.0. Public for scripts that
/// run a stream command and return its reply as it is.
public enum StreamReply {
    /// `[[id, [field, value, …]], …]`. An entry whose fields are null was deleted after it was delivered (Redis
    /// 6.2 still lists such entries in XAUTOCLAIM); there is nothing left to process, so it is skipped.
    public static func entries(_ reply: RESPValue, stream: String, command: String) throws -> [RedisStreamEntry] {
        guard let items = reply.array else { throw RedisError.unexpectedReply(to: command) }
        return try items.compactMap { item in
            guard let parts = item.array, parts.count == 2, let id = parts[0].string else {
                throw RedisError.unexpectedReply(to: command)
            }
            if parts[1].isNull { return nil }
            guard let flat = parts[1].array, flat.count.isMultiple(of: 2) else {
                throw RedisError.unexpectedReply(to: command)
            }
            return RedisStreamEntry(stream: stream, id: id, fields: try fieldMap(flat, command: command))
        }
    }

    /// XREADGROUP: `[[stream, entries], …]`, or null when the block time passed without new entries.
    public static func streams(_ reply: RESPValue, command: String) throws -> [RedisStreamEntry] {
        if reply.isNull { return [] }
        guard let streams = reply.array else { throw RedisError.unexpectedReply(to: command) }
        return try streams.flatMap { stream in
            guard let parts = stream.array, parts.count == 2, let name = parts[0].string else {
                throw RedisError.unexpectedReply(to: command)
            }
            return try entries(parts[1], stream: name, command: command)
        }
    }

    /// A flat `[key, value, key, value, …]` list of strings.
    static func fieldMap(_ flat: [RESPValue], command: String) throws -> [String: String] {
        var fields: [String: String] = [:]
        for index in stride(from: 0, to: flat.count - 1, by: 2) {
            guard let key = flat[index].string, let value = flat[index + 1].string else {
                throw RedisError.unexpectedReply(to: command)
            }
            fields[key] = value
        }
        return fields
    }
}
