import Foundation
import SQLKit
import SelfologyApp
import SelfologyCore
import SelfologyServices
import Testing

@Suite("Nothing lost, nothing applied twice")
struct DeliveryGuaranteeTests {
    let carol = TerminalChat.userID(forName: "carol")

    /// Runs to the first question and stops cleanly; returns the database path.
    func startOnboarding(_ store: TestStore, _ bus: TestBus) async throws -> (
        location: String, firstQuestion: [OutgoingMessage]
    ) {
        let test = try await TestRuntime(store: store, redisStreams: bus == .redis, targetAnswers: 5)
        _ = try await test.say("/start", as: carol)
        let replies = try await test.say("yes", as: carol)
        #expect(replies.contains(text: "Question 1 of 5"))
        try await test.stop()
        return (test.location, replies)
    }

    @Test(
        "a crash after a commit but before the relay publishes: the event is applied exactly once on restart",
        arguments: TestStore.available, TestBus.available)
    func crashBeforePublish(store: TestStore, bus: TestBus) async throws {
        let (location, question) = try await startOnboarding(store, bus)
        let crashed = try await TestRuntime(
            store: store, reuse: location, redisStreams: bus == .redis, targetAnswers: 5, startServices: false)
        let answer = try #require(Journey.answer(to: question, turn: 0))
        try await crashed.runtime.gateway.receive(ChatInput.parse(answer), from: carol)
        #expect(try await crashed.count("event_outbox", where: "status", equals: "pending") == 1)
        try await crashed.crash()

        try await restartAndExpectAppliedOnce(store, bus, location)
    }

    /// Restarts on the same data and checks the one answer was applied exactly once, with its consequences.
    func restartAndExpectAppliedOnce(_ store: TestStore, _ bus: TestBus, _ location: String) async throws {
        let restarted = try await TestRuntime(
            store: store, reuse: location, redisStreams: bus == .redis, targetAnswers: 5)
        try await restarted.settle()
        #expect(try await restarted.count("user_answers_new") == 1)
        #expect(try await restarted.count("asked_questions", where: "status", equals: "answered") == 1)
        #expect(try await restarted.count("event_outbox", where: "status", equals: "pending") == 0)
        let submitted = try await restarted.count("event_outbox", where: "event_type", equals: "user.answer.submitted")
        #expect(submitted == 1)
        // The restarted process delivers the feedback and the next question that the answer caused.
        #expect(restarted.transport.all(for: carol).contains(text: "Question 2 of 5"))
        try await restarted.stop()
    }

    @Test(
        "a crash after the relay published but before consumers applied: recovery replays it exactly once",
        arguments: TestStore.available, TestBus.available)
    func crashAfterPublish(store: TestStore, bus: TestBus) async throws {
        let (location, question) = try await startOnboarding(store, bus)
        let crashed = try await TestRuntime(
            store: store, reuse: location, redisStreams: bus == .redis, targetAnswers: 5, startServices: false)
        try await crashed.runtime.gateway.receive(
            ChatInput.parse(try #require(Journey.answer(to: question, turn: 0))), from: carol)
        #expect(try await crashed.runtime.relay.relayBatch() == 1)
        #expect(try await crashed.count("event_outbox", where: "status", equals: "pending") == 0)
        try await crashed.crash()

        try await restartAndExpectAppliedOnce(store, bus, location)

        // A further restart finds nothing left to replay and changes nothing.
        let again = try await TestRuntime(store: store, reuse: location, redisStreams: bus == .redis, targetAnswers: 5)
        try await again.settle()
        #expect(try await again.count("user_answers_new") == 1)
        #expect(again.transport.count == 0)
        try await again.stop()
    }

    @Test(
        "redelivering every event ever published to every consumer group changes nothing",
        arguments: TestStore.available)
    func redeliveryChangesNothing(store: TestStore) async throws {
        let test = try await TestRuntime(store: store, targetAnswers: 5)
        _ = try await test.say("/start", as: carol)
        var replies = try await test.say("yes", as: carol)
        var turn = 0
        while let answer = Journey.answer(to: replies, turn: turn), turn < 5 {
            replies = try await test.say(answer, as: carol)
            turn += 1
        }
        _ = try await test.say("I feel tired after a long week at work", as: carol)

        let tables = [
            "event_outbox", "processed_events", "user_answers_new", "onboarding_sessions", "asked_questions",
            "personality_profiles", "trait_history", "conversations", "insights", "outgoing_messages",
            "profile_patterns", "gateway_users",
        ]
        func snapshot() async throws -> [String: Int] {
            var counts: [String: Int] = [:]
            for table in tables { counts[table] = try await test.count(table) }
            return counts
        }
        let before = try await snapshot()
        let profileBefore = try await profileVersion(test)
        let delivered = test.transport.count

        let envelopes = try await test.runtime.database.read { db in
            try await OutboxStore.due(limit: 10_000, now: .distantFuture, in: db)
        }
        #expect(envelopes.isEmpty, "everything was published")
        let bus = try #require(test.runtime.inProcessBus, "this test replays through the in-process bus")
        var replayed = 0
        for group in ConsumerGroup.allCases {
            let all = try await test.runtime.database.read { db in
                try await allPublished(types: EventCatalog.subscriptions(of: group), in: db)
            }
            for envelope in all { bus.redeliver(envelope, to: group) }
            replayed += all.count
        }
        #expect(replayed > 50)
        try await test.settle()

        #expect(try await snapshot() == before)
        #expect(try await profileVersion(test) == profileBefore)
        #expect(test.transport.count == delivered, "no message is sent twice")
        try await test.stop()
    }

    private func profileVersion(_ test: TestRuntime) async throws -> Int? {
        try await test.runtime.database.read { db in
            try await db.select().column("version").from("personality_profiles").first()?.decode(
                column: "version", as: Int.self)
        }
    }

    private func allPublished(types: Set<EventType>, in db: any SQLDatabase) async throws -> [EventEnvelope] {
        try await db.select().columns(OutboxStore.envelopeColumns + ["payload"])
            .from("event_outbox").where("event_type", .in, types.map(\.rawValue)).orderBy("id").all()
            .map(OutboxStore.envelope(from:))
    }
}
