import Foundation
import Testing

@testable import SelfologyRedis

@Suite("Redis client against a real server", .enabled(if: TestRedis.isAvailable, "needs SELFOLOGY_TEST_REDIS_URL"))
struct RedisClientTests {
    @Test func pings() async throws {
        try await TestRedis.withClient { redis, _ in
            try await redis.ping()
            #expect(try await redis.send(["PING", "hi"]) == .bulkString(Array("hi".utf8)))
        }
    }

    @Test func setsWithExpiryAndGets() async throws {
        try await TestRedis.withClient { redis, prefix in
            try await redis.set(prefix + "fsm", "{\"state\":\"onboarding\"}", expireSeconds: 100)
            #expect(try await redis.get(prefix + "fsm") == "{\"state\":\"onboarding\"}")
            let ttl = try await redis.send(["TTL", prefix + "fsm"]).int
            #expect((1...100).contains(ttl ?? -1))
            try await redis.set(prefix + "plain", "v")
            #expect(try await redis.send(["TTL", prefix + "plain"]).int == -1)
            #expect(try await redis.get(prefix + "missing") == nil)
        }
    }

    @Test func getsAValueLargerThanOneTCPRead() async throws {
        try await TestRedis.withClient { redis, prefix in
            let large = String((0..<3_000_000).map { _ in "abcdefghijklmnopqrstuvwxyzАБВ".randomElement() ?? "a" })
            try await redis.set(prefix + "large", large)
            #expect(try await redis.get(prefix + "large") == large)
        }
    }

    @Test("scripts run by their SHA1, loaded again after Redis forgot them")
    func scriptsSurviveAFlush() async throws {
        try await TestRedis.withClient { redis, prefix in
            let script = "return redis.call('INCR', KEYS[1]) + tonumber(ARGV[1])"
            #expect(try await redis.eval(script, keys: [prefix + "n"], arguments: ["10"]).int == 11)
            let sha = try #require(redis.scripts.sha(of: script))
            #expect(try await redis.send(["SCRIPT", "EXISTS", sha]).array?.first?.int == 1)
            _ = try await redis.send(["SCRIPT", "FLUSH"])
            #expect(try await redis.send(["SCRIPT", "EXISTS", sha]).array?.first?.int == 0)
            #expect(try await redis.eval(script, keys: [prefix + "n"], arguments: ["10"]).int == 12)
            #expect(try await redis.send(["SCRIPT", "EXISTS", sha]).array?.first?.int == 1)
        }
    }

    @Test func deletesAndEvaluatesScripts() async throws {
        try await TestRedis.withClient { redis, prefix in
            try await redis.set(prefix + "a", "1")
            try await redis.set(prefix + "b", "2")
            #expect(try await redis.del([prefix + "a", prefix + "b", prefix + "missing"]) == 2)
            #expect(try await redis.del([]) == 0)
            let reply = try await redis.eval(
                "redis.call('SET', KEYS[1], ARGV[1]); return {KEYS[1], tonumber(ARGV[2]), redis.call('GET', KEYS[1])}",
                keys: [prefix + "k"], arguments: ["stored", "7"]
            )
            #expect(
                reply
                    == .array([.bulkString(Array((prefix + "k").utf8)), .integer(7), .bulkString(Array("stored".utf8))])
            )
        }
    }

    @Test func pipelinesAThousandCommandsWithRepliesInOrder() async throws {
        try await TestRedis.withClient { redis, prefix in
            let replies = try await redis.pipeline(Array(repeating: ["INCR", prefix + "counter"], count: 1000))
            #expect(replies == (1...1000).map { RESPValue.integer($0) })
        }
    }

    @Test("traffic counts every command sent, and a pipeline as one round trip")
    func countsTraffic() async throws {
        try await TestRedis.withClient { redis, prefix in
            // No script here: another test flushes Redis's scripts, and a script run after that takes two round
            // trips (EVALSHA refused, then EVAL).
            let before = redis.traffic
            _ = try await redis.pipeline(Array(repeating: ["INCR", prefix + "n"], count: 3))
            _ = try await redis.send(["GET", prefix + "n"])
            // An error reply was still a command sent and answered.
            _ = try? await redis.send(["INCRBY", prefix + "n", "not a number"])
            #expect(redis.traffic - before == RedisTraffic(commands: 5, roundTrips: 3))
        }
    }

    @Test func pipelineReturnsAnErrorReplyInPlace() async throws {
        try await TestRedis.withClient { redis, prefix in
            let replies = try await redis.pipeline([
                ["SET", prefix + "k", "text"], ["INCR", prefix + "k"], ["GET", prefix + "k"],
            ])
            #expect(replies.count == 3)
            #expect(replies[0] == .simpleString("OK"))
            #expect(replies[1] == .error("ERR value is not an integer or out of range"))
            #expect(replies[2] == .bulkString(Array("text".utf8)))
            #expect(try await redis.pipeline([]) == [])
        }
    }

    @Test func aServerErrorThrowsWithRedisMessage() async throws {
        try await TestRedis.withClient { redis, prefix in
            try await redis.set(prefix + "string", "x")
            await #expect(
                throws: RedisError.server("WRONGTYPE Operation against a key holding the wrong kind of value")
            ) {
                try await redis.send(["LPUSH", prefix + "string", "y"])
            }
            // An error reply leaves the connection in step.
            #expect(try await redis.get(prefix + "string") == "x")
        }
    }

    @Test func anEmptyCommandIsRefusedBeforeItIsSent() async throws {
        try await TestRedis.withClient { redis, _ in
            await #expect(throws: RedisError.self) { try await redis.send([]) }
            try await redis.ping()
        }
    }

    @Test func aTimeoutThrowsAndTheNextCallStillWorks() async throws {
        try await TestRedis.withClient { redis, prefix in
            // BLPOP itself would answer (nil) after 5 s; only the client's own timeout can throw here.
            await #expect(throws: RedisError.timeout) {
                try await redis.send(["BLPOP", prefix + "never", "5"], timeout: .milliseconds(200))
            }
            // The late BLPOP reply must not be read as the reply to this call.
            try await redis.set(prefix + "after", "fine")
            #expect(try await redis.get(prefix + "after") == "fine")
        }
    }

    @Test func aBlockedReadDoesNotDelayOtherCalls() async throws {
        try await TestRedis.withClient { redis, prefix in
            try await redis.xgroupCreate(prefix + "stream", group: "g")
            // The only idle connection, so the read below leases it.
            let id = try await redis.send(["CLIENT", "ID"]).int ?? -1
            async let blocked = redis.xreadgroup(
                group: "g", consumer: "c", streams: [prefix + "stream"], count: 1, block: .seconds(3)
            )
            try await TestRedis.withClient { observer, _ in
                try await TestRedis.waitUntilBlocked(clientID: id, using: observer)
            }
            try await redis.ping()
            // The ping came back while the read is still blocked on the server: it did not wait for it.
            let stillBlocked = try await TestRedis.withClient { observer, _ in
                try await TestRedis.isBlocked(clientID: id, using: observer)
            }
            #expect(stillBlocked)
            #expect(try await blocked == [])
        }
    }

    @Test func callsWaitForAFreeConnectionWhenAllAreLeased() async throws {
        try await TestRedis.withClient(configure: { $0.maximumConnections = 1 }) { redis, prefix in
            let id = try await redis.send(["CLIENT", "ID"]).int ?? -1
            async let blocked = redis.send(["BLPOP", prefix + "list", "1"], timeout: .seconds(5))
            try await TestRedis.withClient { observer, _ in
                try await TestRedis.waitUntilBlocked(clientID: id, using: observer)
            }
            let clock = ContinuousClock()
            let started = clock.now
            try await redis.ping()
            #expect((clock.now - started) > .milliseconds(100), "ping did not wait for the only connection")
            #expect(try await blocked == .array(nil))
        }
    }

    @Test func waitingForAConnectionEndsAtTheCallTimeout() async throws {
        try await TestRedis.withClient(configure: { $0.maximumConnections = 1 }) { redis, prefix in
            let id = try await redis.send(["CLIENT", "ID"]).int ?? -1
            async let blocked = redis.send(["BLPOP", prefix + "list", "2"], timeout: .seconds(5))
            try await TestRedis.withClient { observer, _ in
                try await TestRedis.waitUntilBlocked(clientID: id, using: observer)
            }
            // Only this call has the short timeout; it can only expire while waiting for the leased connection.
            await #expect(throws: RedisError.timeout) { try await redis.send(["PING"], timeout: .milliseconds(300)) }
            #expect(try await blocked == .array(nil))
            try await redis.ping()
        }
    }

    @Test func reconnectsAfterTheServerClosesTheConnection() async throws {
        try await TestRedis.withClient(configure: { $0.maximumConnections = 1 }) { redis, prefix in
            try await redis.set(prefix + "k", "before")
            let firstID = try await redis.send(["CLIENT", "ID"]).int ?? -1
            try await TestRedis.withClient { killer, _ in
                let killed = try await killer.send(["CLIENT", "KILL", "ID", String(firstID)])
                #expect(killed == .integer(1))
            }
            #expect(try await redis.get(prefix + "k") == "before")
            let secondID = try await redis.send(["CLIENT", "ID"]).int ?? -1
            #expect(secondID != firstID)
        }
    }

    @Test func aCallInFlightOnAKilledConnectionFailsAndTheNextSucceeds() async throws {
        try await TestRedis.withClient(configure: { $0.maximumConnections = 1 }) { redis, prefix in
            let id = try await redis.send(["CLIENT", "ID"]).int ?? -1
            let blocked = Task { try await redis.send(["BLPOP", prefix + "list", "10"], timeout: .seconds(20)) }
            try await TestRedis.withClient { killer, _ in
                try await TestRedis.waitUntilBlocked(clientID: id, using: killer)
                _ = try await killer.send(["CLIENT", "KILL", "ID", String(id)])
            }
            await #expect(throws: RedisError.connectionClosed) { try await blocked.value }
            try await redis.ping()
        }
    }

    @Test func cancellingABlockedCallEndsItAtOnce() async throws {
        try await TestRedis.withClient(configure: { $0.maximumConnections = 1 }) { redis, prefix in
            let id = try await redis.send(["CLIENT", "ID"]).int ?? -1
            let blocked = Task { try await redis.send(["BLPOP", prefix + "list", "10"], timeout: .seconds(20)) }
            try await TestRedis.withClient { observer, _ in
                try await TestRedis.waitUntilBlocked(clientID: id, using: observer)
            }
            blocked.cancel()
            await #expect(throws: CancellationError.self) { try await blocked.value }
            // The pool's only connection is free again well before the 10 s BLPOP would have ended.
            _ = try await redis.send(["PING"], timeout: .seconds(5))
        }
    }

    @Test func authenticatesAsAnACLUserAndSelectsTheDatabase() async throws {
        try await TestRedis.withClient { admin, prefix in
            let user = "selfology-test-\(UUID().uuidString.prefix(8))"
            _ = try await admin.send(["ACL", "SETUSER", user, "on", ">s3cret:@", "~*", "+@all"])
            do {
                try await self.connectAs(user, prefix: prefix, admin: admin)
                _ = try await admin.send(["ACL", "DELUSER", user])
            } catch {
                _ = try? await admin.send(["ACL", "DELUSER", user])
                throw error
            }
        }
    }

    private func connectAs(_ user: String, prefix: String, admin: RedisClient) async throws {
        let server = try TestRedis.configuration()
        var configuration = try RedisConfiguration(url: "redis://\(user):s3cret%3A%40@\(server.host):\(server.port)/5")
        // As patient as the suite's other clients: under CI's full suite a call here once waited past 5 s.
        configuration.commandTimeout = server.commandTimeout
        let client = RedisClient(configuration: configuration)
        #expect(try await client.send(["ACL", "WHOAMI"]).string == user)
        try await client.set(prefix + "in-db-5", "yes")
        await client.close()
        let lookups = try await admin.pipeline([["SELECT", "5"], ["GET", prefix + "in-db-5"], ["SELECT", "0"]])
        #expect(lookups == [.simpleString("OK"), .bulkString(Array("yes".utf8)), .simpleString("OK")])
        #expect(try await admin.get(prefix + "in-db-5") == nil)

        configuration.password = "wrong"
        let refused = RedisClient(configuration: configuration)
        await #expect {
            try await refused.ping()
        } throws: { error in
            guard case .server(let message) = error as? RedisError else { return false }
            return message.hasPrefix("WRONGPASS")
        }
        await refused.close()
    }

    @Test func aClosedClientRefusesCalls() async throws {
        let redis = RedisClient(configuration: try TestRedis.configuration())
        try await redis.ping()
        await redis.close()
        await #expect(throws: RedisError.poolClosed) { try await redis.ping() }
    }
}

@Suite("Redis client without a server")
struct RedisClientWithoutServerTests {
    @Test func anUnreachableServerFailsWithConnectionClosed() async throws {
        var configuration = RedisConfiguration(host: "127.0.0.1", port: 1)
        configuration.connectTimeout = .seconds(1)
        let redis = RedisClient(configuration: configuration)
        await #expect(throws: RedisError.connectionClosed) { try await redis.ping() }
        await redis.close()
    }
}
