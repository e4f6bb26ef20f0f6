import SelfologyCore

/// One event handed to one consumer. `tag` identifies this delivery to the bus (an in-process sequence number or
/// a Redis stream entry id); `attempt` counts deliveries of the same event to the group, starting at 1.
public struct Delivery: Sendable {
    public let envelope: EventEnvelope
    public let tag: String
    public let attempt: Int

    public init(envelope: EventEnvelope, tag: String, attempt: Int) {
        self.envelope = envelope
        self.tag = tag
        self.attempt = attempt
    }
}

/// The event bus port. Publishing is only ever done by the outbox relay; services consume.
public protocol EventBus: Sendable {
    func publish(_ events: [EventEnvelope]) async throws
    /// Joins (creating if needed) the consumer group. Each group sees every event of the given types;
    /// within a group each event goes to one consumer.
    func consumer(group: ConsumerGroup, name: String, types: Set<EventType>) async throws -> any EventConsumer
    /// The least time the outbox relay leaves between two rounds when woken by commits (see `RelaySettings`): what
    /// a round costs on this bus decides whether sharing rounds is worth a wait.
    var relayRoundInterval: Duration { get }
    /// Deletes the events the bus itself set aside (outside any group's store) about people who were forgotten,
    /// from before their erasure: given each person's erasure trace (trace ids are time-ordered). Returns how many.
    func deleteSetAside(of erasures: [UserID: String]) async throws -> Int
}

extension EventBus {
    /// A round costs little: it starts the moment a commit is signalled.
    public var relayRoundInterval: Duration { .zero }

    /// A bus that sets nothing aside: what consumers give up on is in their store's `dead_letters`, which holds
    /// no event, and the outbox's copy goes with the relay's cleanup.
    public func deleteSetAside(of erasures: [UserID: String]) async throws -> Int { 0 }
}

public protocol EventConsumer: Sendable {
    /// New and redelivered events, up to `max`, waiting at most `wait` when there are none.
    func read(max: Int, wait: Duration) async throws -> [Delivery]
    /// Confirms the events are applied; they are never delivered to this group again.
    func ack(_ deliveries: [Delivery]) async throws
    /// Hands events back unapplied, to be delivered again after `delay`.
    func release(_ deliveries: [Delivery], delay: Duration) async throws
    /// The consumer is leaving (graceful shutdown): give up whatever it holds so others take over at once.
    func stop() async
}

extension EventConsumer {
    public func stop() async {}
}
