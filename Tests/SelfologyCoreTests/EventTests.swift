import Foundation
import Synchronization
import Testing

@testable import SelfologyCore

@Suite("Events and identifiers")
struct EventTests {
    @Test("ids are 26 characters and strictly increasing, within one millisecond and when the clock steps back")
    func idsAreOrdered() {
        var factory = UniqueIDFactory()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        var ids = [
            factory.next(now: now, random: (0xFFFF, .max)),
            factory.next(now: now, random: (0, 0)),
            factory.next(now: now.addingTimeInterval(-1), random: (0, 5)),
            factory.next(now: now.addingTimeInterval(0.002), random: (0, 0)),
        ]
        #expect(ids.allSatisfy { $0.count == 26 })
        #expect(ids == ids.sorted() && Set(ids).count == ids.count)
        ids.append(UniqueIDFactory.encode(millis: 0, entropy: (0, 0)))
        #expect(ids.last == String(repeating: "0", count: 26))
        #expect(UniqueIDFactory.encode(millis: 0, entropy: (0, 31)).hasSuffix("0Z"))
    }

    @Test("an envelope round-trips through JSON and refuses to decode as another event type")
    func envelopeRoundTrip() throws {
        let payload = AnswerSubmitted(
            sessionID: "s1", questionID: "q1", text: "Hello", scaleValue: nil, language: .ru)
        let envelope = try EventEnvelope(
            id: "01J", occurredAt: Date(timeIntervalSince1970: 1_700_000_000.123), traceID: "t", userID: "u",
            payload: payload)
        let json = try EventCoding.encodeToString(envelope)
        #expect(json.contains("\"occurred_at\"") && json.contains("\"trace_id\"") && json.contains("\"user_id\""))
        let decoded = try EventCoding.decode(EventEnvelope.self, from: json)
        #expect(decoded == envelope)
        #expect(try decoded.decode(AnswerSubmitted.self).language == .ru)
        #expect(throws: EventDecodingError.typeMismatch(expected: .sessionCreated, actual: .answerSubmitted)) {
            try decoded.decode(SessionCreated.self)
        }
    }

    @Test("the catalog names each event once, covers the seed's flow, and every group consumes something")
    func catalogIsConsistent() {
        let types = EventCatalog.all.map(\.type)
        #expect(Set(types).count == types.count)
        let steps = Set(EventCatalog.all.compactMap(\.flowStep))
        #expect(steps.isSuperset(of: [2, 3, 4, 7, 8, 10, 11, 12, 13, 16, 17, 18]))
        for group in ConsumerGroup.allCases {
            #expect(!EventCatalog.subscriptions(of: group).isEmpty, "\(group) consumes nothing")
        }
        #expect(Set(EventCatalog.payloadTypes.keys) == Set(types), "every catalog entry has exactly one payload type")
    }

    /// A payload that counts how often it is decoded.
    struct Counted: EventPayload {
        static let eventType = EventType(rawValue: "test.counted")
        static let decodings = Mutex(0)
        let value: Int

        init(value: Int) { self.value = value }

        init(from decoder: any Decoder) throws {
            Self.decodings.withLock { $0 += 1 }
            value = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .value)
        }
    }

    @Test("an envelope's copies share its payload once decoded, so consumers of one event decode it once")
    func payloadDecodedOnce() throws {
        let received = EventEnvelope(
            id: "01K", type: Counted.eventType, version: 1, occurredAt: Date(), traceID: "t", userID: "u",
            payload: #"{"value":7}"#)
        let copy = received
        #expect(try received.decode(Counted.self).value == 7)
        #expect(try copy.decode(Counted.self).value == 7)
        #expect(Counted.decodings.withLock { $0 } == 1)
        // Decoding ahead leaves an envelope whose payload is bad exactly as it was: its consumer reports the error.
        let broken = EventEnvelope(
            id: "01L", type: .answerSubmitted, version: 1, occurredAt: Date(), traceID: "t", userID: "u",
            payload: #"{"session_id":"#)
        broken.decodePayload()
        #expect(throws: DecodingError.self) { try broken.decode(AnswerSubmitted.self) }
    }

    @Test("a profile vector travels as base64 floats, exactly; the JSON numbers of version 1 are still read")
    func profileVectorPayload() throws {
        let vector: [Float] = [0.1, -2.5e-7, .pi, 0, -0, 1e30, .leastNonzeroMagnitude]
        let payload = ProfileVectorUpdated(model: "local:hashed-ngrams-512", summary: "calm, curious", vector: vector)
        let json = try EventCoding.encodeToString(payload)
        #expect(!json.contains("["), "no array of numbers on the wire")
        let decoded = try EventCoding.decode(ProfileVectorUpdated.self, from: json)
        #expect(decoded.vector.map(\.bitPattern) == vector.map(\.bitPattern))
        #expect(ProfileVectorUpdated.version == 2)

        let versionOne = #"{"model":"m","summary":"s","vector":[0.5,-1.25,3]}"#
        #expect(try EventCoding.decode(ProfileVectorUpdated.self, from: versionOne).vector == [0.5, -1.25, 3])
        for corrupt in [
            #"{"model":"m","summary":"s","vector":"not base64!"}"#, #"{"model":"m","summary":"s","vector":"AAAAAP8="}"#,
        ] {
            #expect(throws: DecodingError.self) { try EventCoding.decode(ProfileVectorUpdated.self, from: corrupt) }
        }
    }
}
