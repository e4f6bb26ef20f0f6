import SelfologyCore

/// How the event bus uses Redis Streams.
public struct StreamSettings: Sendable {
    /// Each consumer group reads streams of its own, `<prefix>:<group>:<partition>`, holding only the events it
    /// consumes; a person's events always go to the same partition.
    public var prefix = "selfology:events"
    public var partitions = 8
    /// A consumer owns the partitions it holds a lease on; a lease not renewed within this time lapses, so a
    /// crashed consumer's partitions (and their pending entries) pass to the others.
    public var leaseTTL: Duration = .seconds(10)
    /// Entries pending this long in a partition's owner are taken over (XAUTOCLAIM) and delivered again.
    public var claimIdle: Duration = .seconds(15)
    /// How long a consumer's ack may wait to go with the relay's next publish before it is sent on its own
    /// (`DeferredAcks`).
    public var ackLinger: Duration = .milliseconds(20)
    /// Deliveries of one entry to a group before it goes to the dead-letter stream.
    public var maxDeliveries = 5
    /// Put before the seed's key names (`fsm:state:…`, `rate_limit:user:…`); empty in production, set by tests
    /// that share one Redis.
    public var keyPrefix = ""

    public init() {}

    func stream(_ group: String, _ partition: Int) -> String { "\(prefix):\(group):\(partition)" }
    /// Everything else lives under the same prefix, so two deployments (or tests) on one Redis never meet.
    var deadLetterStream: String { "\(prefix):dead-letters" }
    func heartbeats(_ group: String) -> String { "\(prefix):consumers:\(group)" }
    func lease(_ group: String, _ partition: Int) -> String { "\(prefix):lease:\(group):\(partition)" }

    /// Every group's every partition: the streams there are.
    var groupPartitions: [(group: ConsumerGroup, partition: Int)] {
        ConsumerGroup.allCases.flatMap { group in (0..<partitions).map { (group, $0) } }
    }

    /// FNV-1a of the user id: stable across processes and restarts, unlike `Hasher`.
    func partition(of user: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in user.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(partitions))
    }
}
