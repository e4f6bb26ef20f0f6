import SelfologyRedis
import SelfologyServices

extension RedisEventBus: BusObserver {
    /// Quiet when no group has an entry pending or still to read on any partition; the token is every group's
    /// last delivered id, so any delivery between two tokens shows.
    public func quietToken() async throws -> String? {
        var token: [String] = []
        for partition in 0..<settings.partitions {
            let stream = settings.stream(partition)
            for group in try await redis.xinfoGroups(stream) {
                guard group.pending == 0, (group.lag ?? 1) == 0 else { return nil }
                token.append("\(stream)/\(group.name)=\(group.lastDeliveredID)")
            }
        }
        return token.joined(separator: ",")
    }
}
