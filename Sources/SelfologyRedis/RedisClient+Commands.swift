/// The key-value commands the FSM cache and the rate limiter use.
extension RedisClient {
    public func ping() async throws {
        let reply = try await self.send(["PING"])
        guard reply.string == "PONG" else { throw RedisError.unexpectedReply(to: "PING") }
    }

    public func get(_ key: String) async throws -> String? {
        let reply = try await self.send(["GET", key])
        if reply.isNull { return nil }
        guard let value = reply.string else { throw RedisError.unexpectedReply(to: "GET") }
        return value
    }

    public func set(_ key: String, _ value: String, expireSeconds: Int? = nil) async throws {
        var command = ["SET", key, value]
        if let expireSeconds { command += ["EX", String(expireSeconds)] }
        _ = try await self.send(command)
    }

    /// Returns how many of the keys existed.
    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await self.send(["DEL"] + keys).integer(for: "DEL")
    }

    /// Runs a Lua script by its SHA1 (EVALSHA), loading it on first use and again when Redis has forgotten it (a
    /// restart, SCRIPT FLUSH). Sending the whole text every time (EVAL) made Redis hash it on every call, and the
    /// consumers' reads run a script for every batch.
    public func eval(_ script: String, keys: [String], arguments: [String]) async throws -> RESPValue {
        let sha: String
        if let loaded = self.scripts.sha(of: script) { sha = loaded } else { sha = try await self.load(script) }
        let command = ["EVALSHA", sha, String(keys.count)] + keys + arguments
        do {
            return try await self.send(command)
        } catch RedisError.server(let message) where message.hasPrefix("NOSCRIPT") {
            _ = try await self.load(script)
            return try await self.send(command)
        }
    }

    private func load(_ script: String) async throws -> String {
        guard let sha = try await self.send(["SCRIPT", "LOAD", script]).string else {
            throw RedisError.unexpectedReply(to: "SCRIPT LOAD")
        }
        self.scripts.remember(sha, of: script)
        return sha
    }
}

extension RedisError {
    /// A reply of a shape the command cannot give. Its content is left out: it may be someone's message.
    static func unexpectedReply(to command: String) -> RedisError {
        .protocolViolation("unexpected reply to \(command)")
    }
}

extension RESPValue {
    func integer(for command: String) throws -> Int {
        guard let value = self.int else { throw RedisError.unexpectedReply(to: command) }
        return value
    }
}

extension Duration {
    /// Whole milliseconds for Redis arguments, rounded up so that a short wait never becomes no wait.
    public var wholeMillisecondsRoundedUp: Int {
        let (seconds, attoseconds) = self.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let (milliseconds, rest) = attoseconds.quotientAndRemainder(dividingBy: attosecondsPerMillisecond)
        let (wholeSeconds, overflow) = Int(seconds).multipliedReportingOverflow(by: 1000)
        guard !overflow, wholeSeconds < Int.max - 1000 else { return Int.max }
        return wholeSeconds + Int(milliseconds) + (rest > 0 ? 1 : 0)
    }
}
