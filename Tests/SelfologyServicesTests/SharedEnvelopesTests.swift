import Foundation
import SelfologyCore
import SelfologyServices
import Testing

/// Consumer groups of one process share the envelope of an event read twice, so its payload is decoded once.
@Suite("Envelopes shared among a process's consumer groups")
struct SharedEnvelopesTests {
    /// The envelope as a stream entry gives it back: same fields, payload still JSON text.
    func read(_ envelope: EventEnvelope, payload: String? = nil) -> EventEnvelope {
        EventEnvelope(
            id: envelope.id, type: envelope.type, version: envelope.version, occurredAt: envelope.occurredAt,
            traceID: envelope.traceID, userID: envelope.userID, payload: payload ?? envelope.payload)
    }

    func event(_ index: Int) throws -> EventEnvelope {
        try EventEnvelope(
            id: EventID("shared-\(index)"), occurredAt: Date(timeIntervalSince1970: 1_000), traceID: "t",
            userID: UserID("person"), payload: MessageReceived(text: "words \(index)", language: .en))
    }

    @Test("a second group's copy of an event finds the payload the first group decoded")
    func secondReaderGetsTheDecodedPayload() throws {
        let shared = SharedEnvelopes()
        let published = try event(1)
        let first = shared.shared(read(published))
        #expect(!first.hasDecodedPayload)
        _ = try first.decode(MessageReceived.self)
        let second = shared.shared(read(published))
        #expect(second.hasDecodedPayload)
        #expect(try second.decode(MessageReceived.self).text == "words 1")
    }

    @Test("an envelope with the same id but other content is not taken for the one seen")
    func differentContentIsNotShared() throws {
        let shared = SharedEnvelopes()
        let published = try event(2)
        _ = try shared.shared(read(published)).decode(MessageReceived.self)
        let altered = shared.shared(read(published, payload: #"{"language":"en","text":"other"}"#))
        #expect(!altered.hasDecodedPayload)
        #expect(try altered.decode(MessageReceived.self).text == "other")
    }

    @Test("an event this process committed is found by its delivered copy, whose payload text the store rewrote")
    func committedHereIsFoundDespiteRewrittenText() throws {
        let shared = SharedEnvelopes()
        let committed = try event(3)
        shared.remember([committed])
        // PostgreSQL's JSONB gives the payload back with its keys in another order.
        let delivered = shared.shared(read(committed, payload: #"{"language":"en","text":"words 3"}"#))
        #expect(delivered.hasDecodedPayload)
        #expect(try delivered.decode(MessageReceived.self).text == "words 3")

        // Another time or another sequence of events under that id is not taken for it.
        let other = try event(4)
        shared.remember([other])
        let later = EventEnvelope(
            id: other.id, type: other.type, version: other.version, occurredAt: other.occurredAt + 1,
            traceID: other.traceID, userID: other.userID, payload: other.payload)
        #expect(!shared.shared(later).hasDecodedPayload)
    }

    @Test("committed envelopes are remembered as the bus delivers them")
    func committedAsDelivered() throws {
        let shared = SharedEnvelopes(asDelivered: { $0.occurring(at: Date(timeIntervalSince1970: 7)) })
        let committed = try event(5)
        shared.remember([committed])
        let delivered = EventEnvelope(
            id: committed.id, type: committed.type, version: committed.version,
            occurredAt: Date(timeIntervalSince1970: 7), traceID: committed.traceID, userID: committed.userID,
            payload: committed.payload)
        let found = shared.shared(delivered)
        #expect(found.hasDecodedPayload && found.occurredAt == Date(timeIntervalSince1970: 7))
        #expect(!shared.shared(read(try event(6))).hasDecodedPayload, "nothing committed, nothing found")
    }

    @Test("bounded: past the capacity the oldest are forgotten and decoded again")
    func bounded() throws {
        let shared = SharedEnvelopes(capacity: 4)
        let events = try (0..<10).map(event)
        for envelope in events { _ = try shared.shared(read(envelope)).decode(MessageReceived.self) }
        #expect(!shared.shared(read(events[0])).hasDecodedPayload)
        #expect(shared.shared(read(events[9])).hasDecodedPayload)
    }
}
