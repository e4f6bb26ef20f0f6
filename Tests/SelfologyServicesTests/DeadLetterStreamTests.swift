import Foundation
import SelfologyCore
import SelfologyRedis
import SelfologyServices
import Testing

@testable import SelfologyDistributed

/// Entries the stream consumer set aside go back to the stream they came from; unreadable ones stay.
@Suite("Dead-letter stream put back", .enabled(if: TestStore.redisURL != nil))
struct DeadLetterStreamTests {
    @Test(
        "a readable entry goes back to the end of its group's stream and leaves the dead letters; an unreadable one stays"
    )
    func replayed() async throws {
        let redis = try TestStore.patientRedis()
        var settings = StreamSettings()
        settings.prefix = "selfology:dead-letter-test:\(UUID().uuidString.prefix(12))"
        let event = try EventFactory.forTests.make(MessageReceived(text: "again", language: .en), for: UserID("p"))
        let stream = settings.stream(ConsumerGroup.traitEvolution.rawValue, 2)
        let letters = DeadLetterStream(redis: redis, settings: settings)
        // Set aside as `RedisStreamConsumer` does it.
        try await letters.add(
            RedisStreamEntry(
                stream: stream, id: "1-1", fields: Dictionary(uniqueKeysWithValues: StreamEnvelope.fields(of: event))),
            group: .traitEvolution, reason: "delivered 6 times")
        try await letters.add(
            RedisStreamEntry(stream: stream, id: "1-2", fields: ["type": "x"]), group: .traitEvolution,
            reason: "unreadable entry")

        #expect(try await letters.list().map(\.reason) == ["delivered 6 times", "unreadable entry"])
        #expect(try await letters.list(group: .profileStorage).isEmpty)
        #expect(try await letters.list(group: .traitEvolution).first?.eventID == event.id.rawValue)

        let (replayed, kept) = try await letters.replay(group: .traitEvolution)
        #expect(replayed == 1 && kept == 1)
        let back = try await redis.xrange(stream, start: "-", end: "+")
        #expect(back.count == 1)
        #expect(back.first.flatMap { StreamEnvelope.envelope(from: $0.fields) }?.id == event.id)
        #expect(try await letters.list().map(\.reason) == ["unreadable entry"])
        _ = try await redis.del([settings.deadLetterStream, stream])
        await redis.close()
    }
}
