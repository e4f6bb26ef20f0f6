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
        // As `RedisStreamConsumer` sets entries aside: the entry's fields, then where it came from and why.
        let origin: [(String, String)] = [("group", "trait_evolution"), ("stream", stream), ("entry", "1-1")]
        _ = try await redis.xadd(
            settings.deadLetterStream,
            fields: StreamEnvelope.fields(of: event) + origin + [("reason", "delivered 6 times")])
        _ = try await redis.xadd(
            settings.deadLetterStream, fields: [("type", "x")] + origin + [("reason", "unreadable entry")])
        let letters = DeadLetterStream(redis: redis, settings: settings)

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
