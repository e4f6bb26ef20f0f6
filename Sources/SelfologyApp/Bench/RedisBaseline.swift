import Foundation
import SelfologyRedis

/// Redis Streams' own limit in the same run: XADD one command at a time, XADD pipelined 100 at a time (what the
/// relay does), and XREADGROUP of 100 entries followed by their XACK (what a consumer does per batch).
public enum RedisBaseline {
    public struct Figures: Sendable {
        public let singleAddsPerSecond: Double
        public let pipelinedAddsPerSecond: Double
        public let readAcksPerSecond: Double
    }

    static func measure(_ redis: RedisClient, stream: String, adds single: Int) async throws -> Figures {
        let fields = ["type", "bench.event", "payload", String(repeating: "x", count: 300)]
        var start = ContinuousClock.now
        for _ in 0..<single { _ = try await redis.send(["XADD", stream, "*"] + fields) }
        let singleRate = Double(single) / (ContinuousClock.now - start).seconds

        let batches = single / 5
        start = ContinuousClock.now
        for _ in 0..<batches {
            _ = try await redis.pipeline(Array(repeating: ["XADD", stream, "*"] + fields, count: 100))
        }
        let pipelinedRate = Double(batches * 100) / (ContinuousClock.now - start).seconds

        try await redis.xgroupCreate(stream, group: "bench", startID: "0")
        var read = 0
        start = ContinuousClock.now
        while true {
            let entries = try await redis.xreadgroup(
                group: "bench", consumer: "bench", streams: [stream], count: 100, block: nil)
            guard !entries.isEmpty else { break }
            _ = try await redis.xack(stream, group: "bench", ids: entries.map(\.id))
            read += entries.count
        }
        let readRate = Double(read) / (ContinuousClock.now - start).seconds
        _ = try await redis.del([stream])
        return Figures(
            singleAddsPerSecond: singleRate, pipelinedAddsPerSecond: pipelinedRate, readAcksPerSecond: readRate)
    }
}
