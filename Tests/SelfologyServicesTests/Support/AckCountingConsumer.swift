import SelfologyServices
import Synchronization

/// A consumer for tests that drive `ConsumerRunner.process` by hand: it reads nothing and counts what is acked.
final class AckCountingConsumer: EventConsumer {
    let acked = Mutex(0)
    func read(max: Int, wait: Duration) async throws -> [Delivery] { [] }
    func ack(_ deliveries: [Delivery]) async throws { acked.withLock { $0 += deliveries.count } }
    func release(_ deliveries: [Delivery], delay: Duration) async throws {}
}

extension EventFactory {
    /// Time-ordered ids on the system clock, as the runtime makes them.
    static let forTests = EventFactory(ids: TimeOrderedIDGenerator(clock: SystemWallClock()), clock: SystemWallClock())
}
