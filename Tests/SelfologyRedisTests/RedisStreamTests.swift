import Testing

@testable import SelfologyRedis

@Suite("Redis streams against a real server", .enabled(if: TestRedis.isAvailable, "needs SELFOLOGY_TEST_REDIS_URL"))
struct RedisStreamTests {
    @Test func deliversAcknowledgesClaimsAndTrims() async throws {
        try await TestRedis.withClient { redis, prefix in
            let stream = prefix + "events"
            try await redis.xgroupCreate(stream, group: "profile_storage")
            try await redis.xgroupCreate(stream, group: "profile_storage")  // BUSYGROUP is not an error

            var ids: [String] = []
            for number in 1...3 {
                ids.append(try await redis.xadd(stream, fields: [("type", "answer.submitted"), ("n", "\(number)")]))
            }
            #expect(try await redis.xlen(stream) == 3)

            let read = try await redis.xreadgroup(
                group: "profile_storage", consumer: "worker-1", streams: [stream], count: 10, block: nil
            )
            #expect(read.map(\.id) == ids)
            #expect(read.map(\.stream) == [stream, stream, stream])
            #expect(read.first?.fields == ["type": "answer.submitted", "n": "1"])
            #expect(try await redis.xack(stream, group: "profile_storage", ids: [ids[0]]) == 1)
            #expect(try await redis.xack(stream, group: "profile_storage", ids: [ids[0]]) == 0)

            // XAUTOCLAIM's own reply, [next id, entries, deleted ids], as the bus's fenced claim passes it on.
            let claimed = try #require(
                try await redis.send(["XAUTOCLAIM", stream, "profile_storage", "worker-2", "0", "0-0", "COUNT", "10"])
                    .array)
            #expect(claimed.count == 3 && claimed[0].string == "0-0")
            let entries = try StreamReply.entries(claimed[1], stream: stream, command: "XAUTOCLAIM")
            #expect(entries.map(\.id) == Array(ids[1...]))
            #expect(entries.last?.fields == ["type": "answer.submitted", "n": "3"])

            let deliveries = try await redis.xpendingDeliveries(stream, group: "profile_storage", ids: ids)
            #expect(deliveries == [ids[1]: 2, ids[2]: 2])

            let groups = try await redis.xinfoGroups(stream)
            #expect(groups == [RedisGroupInfo(name: "profile_storage", pending: 2, lastDeliveredID: ids[2], lag: 0)])

            #expect(try await redis.xtrimMinID(stream, minID: ids[1]) == 1)
            #expect(try await redis.xrange(stream, start: "-", end: "+", count: nil).map(\.id) == Array(ids[1...]))
            #expect(try await redis.xrange(stream, start: "-", end: "+", count: 1).map(\.id) == [ids[1]])
        }
    }

    @Test func summarisesPendingEntriesPerConsumerForEachStream() async throws {
        try await TestRedis.withClient { redis, prefix in
            let (busy, idle) = (prefix + "busy", prefix + "idle")
            for stream in [busy, idle] { try await redis.xgroupCreate(stream, group: "g") }
            for number in 1...3 { _ = try await redis.xadd(busy, fields: [("n", "\(number)")]) }
            _ = try await redis.xreadgroup(group: "g", consumer: "first", streams: [busy], count: 2, block: nil)
            let last = try await redis.xreadgroup(
                group: "g", consumer: "second", streams: [busy], count: 10, block: nil)
            // The server's own reply: nothing pending gives a null consumer list, counts come as bulk strings.
            #expect(
                try await redis.xpendingConsumers([busy, idle], group: "g") == [
                    busy: ["first": 2, "second": 1], idle: [:],
                ])
            _ = try await redis.xack(busy, group: "g", ids: last.map(\.id))
            #expect(try await redis.xpendingConsumers([busy], group: "g") == [busy: ["first": 2]])
            #expect(try await redis.xpendingConsumers([], group: "g").isEmpty)
        }
    }

    @Test func readsSeveralStreamsAndNamesEachEntrysStream() async throws {
        try await TestRedis.withClient { redis, prefix in
            let streams = [prefix + "a", prefix + "b"]
            for stream in streams {
                try await redis.xgroupCreate(stream, group: "g")
            }
            let idB = try await redis.xadd(streams[1], fields: [("k", "in b")])
            let idA = try await redis.xadd(streams[0], fields: [("k", "in a")])
            let read = try await redis.xreadgroup(group: "g", consumer: "c", streams: streams, count: 10, block: nil)
            #expect(
                read == [
                    RedisStreamEntry(stream: streams[0], id: idA, fields: ["k": "in a"]),
                    RedisStreamEntry(stream: streams[1], id: idB, fields: ["k": "in b"]),
                ])
        }
    }

    @Test func aBlockingReadReturnsNothingAfterTheBlockTime() async throws {
        try await TestRedis.withClient { redis, prefix in
            let stream = prefix + "quiet"
            try await redis.xgroupCreate(stream, group: "g", startID: "$")
            let clock = ContinuousClock()
            let started = clock.now
            let read = try await redis.xreadgroup(
                group: "g", consumer: "c", streams: [stream], count: 5, block: .milliseconds(300)
            )
            let elapsed = clock.now - started
            #expect(read == [])
            // Only the lower bound is behaviour; how much later it returns depends on the machine's load.
            #expect(elapsed >= .milliseconds(250), "took \(elapsed)")
        }
    }

    @Test func aBlockingReadWakesUpWhenAnEntryArrives() async throws {
        try await TestRedis.withClient { redis, prefix in
            let stream = prefix + "wake"
            try await redis.xgroupCreate(stream, group: "g", startID: "$")
            let id = try await redis.send(["CLIENT", "ID"]).int ?? -1
            async let read = redis.xreadgroup(
                group: "g", consumer: "c", streams: [stream], count: 5, block: .seconds(10))
            try await TestRedis.withClient { producer, _ in
                try await TestRedis.waitUntilBlocked(clientID: id, using: producer)
                try await producer.xadd(stream, fields: [("type", "session.created")])
            }
            #expect(try await read.map(\.fields) == [["type": "session.created"]])
        }
    }

    @Test func aPlainReadWaitsForAnEntryAfterItsPositionAndClaimsNothing() async throws {
        try await TestRedis.withClient { redis, prefix in
            let (busy, quiet) = (prefix + "x-busy", prefix + "x-quiet")
            try await redis.xgroupCreate(busy, group: "g")
            let seen = try await redis.xadd(busy, fields: [("n", "1")])
            let newer = try await redis.xadd(busy, fields: [("n", "2")])
            // An entry after the position is there already: no wait.
            let ready = try await redis.xread(
                after: [(busy, seen), (quiet, "0-0")], count: 1, block: .seconds(10))
            #expect(ready == [RedisStreamEntry(stream: busy, id: newer, fields: ["n": "2"])])
            // Nothing after the newest: the wait ends empty.
            #expect(try await redis.xread(after: [(busy, newer)], count: 1, block: .milliseconds(100)).isEmpty)
            // A plain read delivers nothing to the group: both entries are still new to it.
            let group = try await redis.xreadgroup(group: "g", consumer: "c", streams: [busy], count: 10, block: nil)
            #expect(group.map(\.id) == [seen, newer])
        }
    }

    @Test func pendingDeliveriesOfNoIdsAndUnknownGroups() async throws {
        try await TestRedis.withClient { redis, prefix in
            let stream = prefix + "p"
            #expect(try await redis.xpendingDeliveries(stream, group: "g", ids: []) == [:])
            try await redis.xgroupCreate(stream, group: "g")
            let id = try await redis.xadd(stream, fields: [("a", "b")])
            #expect(try await redis.xpendingDeliveries(stream, group: "g", ids: [id]) == [:])
            await #expect {
                try await redis.xpendingDeliveries(stream, group: "missing", ids: [id])
            } throws: { error in
                guard case .server(let message) = error as? RedisError else { return false }
                return message.hasPrefix("NOGROUP")
            }
        }
    }
}
