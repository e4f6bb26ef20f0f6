import Foundation
import SelfologyCore

/// Wraps payloads in envelopes with fresh time-ordered ids. A caused event inherits its cause's trace id, so one
/// answer's whole path can be followed through the logs.
public struct EventFactory: Sendable {
    public let ids: any IDGenerator
    public let clock: any WallClock

    public init(ids: any IDGenerator, clock: any WallClock) {
        self.ids = ids
        self.clock = clock
    }

    public func make<P: EventPayload>(_ payload: P, for user: UserID, trace: String? = nil) throws -> EventEnvelope {
        make(try EncodedPayload(payload), for: user, trace: trace)
    }

    public func make<P: EventPayload>(_ encoded: EncodedPayload<P>, for user: UserID, trace: String? = nil)
        -> EventEnvelope
    {
        let id = ids.next()
        return EventEnvelope(
            id: EventID(id), occurredAt: clock.now(), traceID: trace ?? id, userID: user, encoded: encoded)
    }
}
