import Foundation
import Logging
import SQLKit
import SelfologyCore
import SelfologyEmbedded
import Testing

@testable import SelfologyServices

/// The gateway applies a batch with one read and two writes; that must give what one event after the other gives.
@Suite("The gateway's batches")
struct GatewayBatchTests {
    let people = [UserID(rawValue: "batch-a"), UserID(rawValue: "batch-b")]

    func session(of user: UserID) -> SessionID { SessionID(rawValue: "session-\(user.rawValue)") }

    func question(_ ordinal: Int, for user: UserID) throws -> Delivery {
        try delivery(
            QuestionSelected(
                sessionID: session(of: user), questionID: QuestionID(rawValue: "q\(ordinal)"), ordinal: ordinal,
                targetAnswers: 10, strategy: .entry,
                text: LocalizedText(en: "Question \(ordinal)?", ru: "Вопрос \(ordinal)?"),
                isScale: false, isRepeat: false), for: user)
    }

    func paused(_ user: UserID) throws -> Delivery {
        try delivery(
            SessionPaused(
                session: SessionStopped(sessionID: session(of: user), reason: .userPaused, answers: 1, language: .en)),
            for: user)
    }

    func delivery<P: EventPayload>(_ payload: P, for user: UserID) throws -> Delivery {
        Delivery(envelope: try EventFactory.forTests.make(payload, for: user), tag: UUID().uuidString, attempt: 1)
    }

    /// A store where both people have consented and wait for their session's first question.
    func store() async throws -> SQLiteDatabase {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        try await database.transaction { db in
            for user in people {
                let state = ChatState(
                    phase: .onboardingActive, consentedAt: Date(timeIntervalSince1970: 1_000),
                    sessionID: session(of: user))
                try await GatewayStore.save(state, of: user, now: Date(), in: db)
            }
        }
        return database
    }

    /// Each person's queued texts in order, and their states.
    func outcome(_ database: SQLiteDatabase) async throws -> (texts: [UserID: [String]], states: [UserID: ChatState]) {
        try await database.read { db in
            var texts: [UserID: [String]] = [:]
            for queued in try await GatewayStore.unsent(limit: 100, in: db) {
                texts[queued.user, default: []].append(queued.message.text)
            }
            return (texts, try await GatewayStore.states(of: people, in: db))
        }
    }

    func runner(_ database: SQLiteDatabase) -> ConsumerRunner {
        ConsumerRunner(
            handler: GatewayHandler(
                handoff: DispatchHandoff(),
                safety: SafetyPolicy(
                    detector: TestRuntime.content.crisis, resources: TestRuntime.content.crisisResources, country: nil)),
            bus: InProcessEventBus(),
            database: database,
            factory: EventFactory.forTests, outboxSignal: WakeSignal(), consumerName: "test",
            logger: Logger(label: "test"))
    }

    @Test("a person's later event in the batch sees the state the earlier one left; messages keep their order")
    func batchEqualsOneByOne() async throws {
        let (a, b) = (people[0], people[1])
        // After a's pause, a's second question must be ignored: only a state carried through the batch knows it.
        let events = [try question(1, for: a), try question(1, for: b), try paused(a), try question(2, for: a)]

        let batched = try await store()
        await runner(batched).process(events, consumer: AckCountingConsumer())
        let oneByOne = try await store()
        for event in events { await runner(oneByOne).process([event], consumer: AckCountingConsumer()) }

        let (texts, states) = try await outcome(batched)
        let expected = try await outcome(oneByOne)
        #expect(texts == expected.texts)
        #expect(states == expected.states)
        #expect(states[a]?.phase == .onboardingPaused)
        #expect(states[b]?.phase == .waitingForAnswer)
        #expect(texts[a]?.count == 2 && texts[a]?.first?.contains("Question 1?") == true)
        #expect(texts[b]?.count == 1)
        #expect(texts[a]?.contains { $0.contains("Question 2?") } == false)
        try await batched.close()
        try await oneByOne.close()
    }
}
