import SelfologyRedis
import SelfologyServices

extension RedisEventBus: BusObserver {
    /// Quiet when no group has an entry pending or still to read on any partition; the token is every group's
    /// last delivered id, so any delivery between two tokens shows. One pipeline for all the streams.
    public func quietToken() async throws -> String? {
        let streams = settings.groupPartitions.map { settings.stream($0.group.rawValue, $0.partition) }
        var token: [String] = []
        for (stream, groups) in zip(streams, try await redis.xinfoGroups(streams)) {
            for group in groups {
                guard group.pending == 0, (group.lag ?? 1) == 0 else { return nil }
                token.append("\(stream)/\(group.name)=\(group.lastDeliveredID)")
            }
        }
        return token.joined(separator: ",")
    }
}
