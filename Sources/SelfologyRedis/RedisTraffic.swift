import Synchronization

/// What a client has asked of Redis: commands, and the round trips they went in (a pipeline is one round trip of
/// several commands; what a script runs on the server is not counted). The benchmark reports them per answer:
/// unlike time, they do not drift with the machine's speed.
public struct RedisTraffic: Sendable, Equatable {
    public var commands: Int
    public var roundTrips: Int

    public init(commands: Int = 0, roundTrips: Int = 0) {
        self.commands = commands
        self.roundTrips = roundTrips
    }

    public static func - (after: RedisTraffic, before: RedisTraffic) -> RedisTraffic {
        RedisTraffic(commands: after.commands - before.commands, roundTrips: after.roundTrips - before.roundTrips)
    }
}

/// Counts a client's traffic without a lock: two relaxed increments per round trip.
final class RedisTrafficCounter: Sendable {
    private let commands = Atomic<Int>(0)
    private let roundTrips = Atomic<Int>(0)

    func count(commands sent: Int) {
        commands.wrappingAdd(sent, ordering: .relaxed)
        roundTrips.wrappingAdd(1, ordering: .relaxed)
    }

    var traffic: RedisTraffic {
        RedisTraffic(commands: commands.load(ordering: .relaxed), roundTrips: roundTrips.load(ordering: .relaxed))
    }
}
