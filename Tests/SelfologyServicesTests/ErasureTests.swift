import Foundation
import Logging
import SQLKit
import SelfologyApp
import SelfologyCore
import SelfologyEmbedded
import SelfologyRedis
import Testing

@testable import SelfologyDistributed
@testable import SelfologyServices

@Suite("/forget: every service forgets the person")
struct ErasureTests {
    let alice = TerminalChat.userID(forName: "alice")
    let bob = TerminalChat.userID(forName: "bob")

    @Test(
        "after onboarding and a chat, /forget leaves no row about the person in any table; others keep theirs",
        arguments: TestStore.available, TestBus.available)
    func forgetsEverything(store: TestStore, bus: TestBus) async throws {
        let test = try await TestRuntime(store: store, redisStreams: bus == .redis, targetAnswers: 3)
        try await Self.onboard(alice, on: test, chat: true)
        try await Self.onboard(bob, on: test, chat: false)
        let tables = try await Self.tablesWithPeople(test)
        for table in ["gateway_users", "user_answers_new", "personality_profiles", "trait_history", "conversations"] {
            #expect(tables.contains(table))
            #expect(try await test.count(table, where: "user_id", equals: alice.rawValue) > 0, "\(table)")
        }
        let bobsRows = try await Self.rows(of: bob, in: tables, test)

        let asked = try await test.say("/forget", as: alice)
        #expect(asked.contains(text: "cannot be undone"))
        let done = try await test.press(.erasure(true), as: alice)
        #expect(done.map(\.text) == [BotTexts.erased[.en]])
        // The relay's cleanup takes the outbox's copies of the person's events.
        await test.runtime.relay.cleanUp()

        for table in tables {
            let left = try await test.count(table, where: "user_id", equals: alice.rawValue)
            switch table {
            case PersonErasure.table:
                // What keeps their older work from coming back: one record per consumer group.
                #expect(left == ConsumerGroup.allCases.count)
            case "event_outbox":
                // Only the erasure itself, which carries nothing but the id.
                #expect(left == 1)
                #expect(
                    try await test.count("event_outbox", where: "event_type", equals: "user.erasure.requested") == 1)
            default:
                #expect(left == 0, "\(table) still holds \(left) rows about the person")
            }
        }
        #expect(try await Self.rows(of: bob, in: tables, test) == bobsRows, "nobody else loses anything")

        // Coming back is a new beginning: consent is asked again, and nothing of before is there.
        #expect(try await test.say("/start", as: alice).contains(text: "Do you agree?"))
        #expect(try await test.say("yes", as: alice).contains(text: "Question 1 of 3"))
        #expect(try await test.count("user_answers_new", where: "user_id", equals: alice.rawValue) == 0)
        #expect(try await test.count("onboarding_sessions", where: "user_id", equals: alice.rawValue) == 1)
        try await test.stop()
    }

    @Test(
        "work about the person that began before the erasure and arrives after it writes nothing; a later start does",
        arguments: TestStore.available)
    func olderWorkIsDropped(store: TestStore) async throws {
        let test = try await TestRuntime(store: store, targetAnswers: 3)
        try await Self.onboard(alice, on: test, chat: false)
        let extracted = try #require(try await Self.firstEvent(.traitExtracted, of: alice, test))
        _ = try await test.say("/forget", as: alice)
        _ = try await test.say("yes", as: alice)
        #expect(try await test.count("personality_profiles", where: "user_id", equals: alice.rawValue) == 0)

        // Trait evidence from an answer given before the erasure, as a slow analysis would deliver it now.
        try await test.runtime.bus.publish([extracted.copy(id: "late-evidence", trace: extracted.traceID)])
        try await test.settle()
        #expect(try await test.count("personality_profiles", where: "user_id", equals: alice.rawValue) == 0)
        #expect(try await test.count("trait_history", where: "user_id", equals: alice.rawValue) == 0)

        // The same evidence in a trace begun after the erasure is applied: the drop above was the trace's doing.
        var ids = UniqueIDFactory()
        let later = ids.next(now: Date().addingTimeInterval(1), random: (0, 0))
        try await test.runtime.bus.publish([extracted.copy(id: "new-evidence", trace: later)])
        try await test.settle()
        #expect(try await test.count("personality_profiles", where: "user_id", equals: alice.rawValue) == 1)
        try await test.stop()
    }

    @Test(
        "PostgreSQL: the event side cannot write back the state of a person the front door forgets meanwhile",
        .enabled(if: TestStore.postgresURL != nil))
    func eventSideWaitsForTheErasure() async throws {
        let test = try await TestRuntime(store: .postgres, startServices: false)
        let database = test.runtime.database
        let (alice, now) = (self.alice, Date())
        try await database.transaction { db in
            try await GatewayStore.save([alice: ChatState(phase: .chatActive, consentedAt: now)], now: now, in: db)
        }
        // As `GatewayHandler` does: read the states, react, write back what changed, in one transaction.
        let eventSide = Task {
            try await database.transaction { db in
                let read = try await GatewayStore.states(of: [alice], forUpdate: true, in: db)
                try await Task.sleep(for: .milliseconds(500))
                try await GatewayStore.save(read, now: now, in: db)
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        try await database.transaction { db in try await GatewayStore.forget(alice, in: db) }
        try await eventSide.value
        #expect(try await test.count("gateway_users", where: "user_id", equals: alice.rawValue) == 0)
        try await test.stop()
    }

    @Test(
        "an event about the person in Redis's dead-letter stream goes with the relay's cleanup; others' entries stay",
        .enabled(if: TestStore.redisURL != nil), arguments: TestStore.available)
    func setAsideEventsAreForgotten(store: TestStore) async throws {
        let test = try await TestRuntime(store: store, redisStreams: true, targetAnswers: 3)
        try await Self.onboard(alice, on: test, chat: false)
        try await Self.onboard(bob, on: test, chat: false)
        let redis = try TestStore.patientRedis()
        let letters = DeadLetterStream(redis: redis, settings: test.configuration.streams)
        var setAside: [EventEnvelope] = []
        for person in [alice, bob] {
            let answer = try #require(try await Self.firstEvent(.answerSubmitted, of: person, test))
            setAside.append(answer)
            try await letters.add(
                RedisStreamEntry(
                    stream: "s", id: "1-1", fields: Dictionary(uniqueKeysWithValues: StreamEnvelope.fields(of: answer))),
                group: .traitEvolution, reason: "delivered 6 times")
        }
        try await letters.add(
            RedisStreamEntry(stream: "s", id: "1-2", fields: ["type": "x"]), group: .traitEvolution,
            reason: "unreadable entry")

        _ = try await test.say("/forget", as: alice)
        _ = try await test.press(.erasure(true), as: alice)
        #expect(try await letters.list().count == 3, "nothing goes before the cleanup")
        await test.runtime.relay.cleanUp()
        #expect(try await letters.list().map(\.eventID) == [setAside[1].id.rawValue, "?"])
        _ = try await redis.del([test.configuration.streams.deadLetterStream])
        await redis.close()
        try await test.stop()
    }

    /// Consent, a full round of answers, and optionally a message to the coach.
    static func onboard(_ person: UserID, on test: TestRuntime, chat: Bool) async throws {
        _ = try await test.say("/start", as: person)
        var replies = try await test.say("yes", as: person)
        var turn = 0
        while let answer = Journey.answer(to: replies, turn: turn), turn < 6 {
            replies = try await test.say(answer, as: person)
            turn += 1
            if replies.contains(text: "completes this round") { break }
        }
        #expect(replies.contains(text: "completes this round"))
        if chat { _ = try await test.say("Work has been heavy and I keep putting things off", as: person) }
    }

    /// Every table of the store with a `user_id` column, read from the store's own catalogue, so that a table
    /// added later is checked too.
    static func tablesWithPeople(_ test: TestRuntime) async throws -> [String] {
        try await test.runtime.database.read { db in
            let query: SQLQueryString =
                db.dialect.name == "postgresql"
                ? """
                SELECT table_name AS name FROM information_schema.columns \
                WHERE column_name = 'user_id' AND table_schema = current_schema()
                """
                : """
                SELECT m.name AS name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p \
                WHERE m.type = 'table' AND p.name = 'user_id'
                """
            return try await db.raw(query).all().map { try $0.decode(column: "name", as: String.self) }.sorted()
        }
    }

    static func rows(of person: UserID, in tables: [String], _ test: TestRuntime) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables { counts[table] = try await test.count(table, where: "user_id", equals: person.rawValue) }
        return counts
    }

    static func firstEvent(_ type: EventType, of person: UserID, _ test: TestRuntime) async throws -> EventEnvelope? {
        try await test.runtime.database.read { db in
            try await db.select().column("*").from("event_outbox")
                .where("user_id", .equal, person.rawValue).where("event_type", .equal, type.rawValue)
                .orderBy("id").limit(1).first().map(OutboxStore.envelope(from:))
        }
    }
}

extension EventEnvelope {
    /// The same event under a new id (so no consumer has applied it) in the given trace.
    fileprivate func copy(id: String, trace: String) -> EventEnvelope {
        EventEnvelope(
            id: EventID(id), type: type, version: version, occurredAt: Date(), traceID: trace, userID: userID,
            payload: payload)
    }
}

@Suite("/forget: the profile vector index")
struct ErasedVectorTests {
    /// Keeps what the handler writes to the external index.
    actor RecordingIndex: ProfileVectorIndex {
        private(set) var upserted: [UserID] = []
        private(set) var removed: [UserID] = []
        func upsert(_ vector: ProfileVector) { upserted.append(vector.userID) }
        func nearest(to vector: [Float], model: String, limit: Int, excluding user: UserID) -> [SimilarProfile] { [] }
        func remove(_ user: UserID) { removed.append(user) }
    }

    @Test("an update of a forgotten person from before the erasure is neither embedded nor mirrored; a later one is")
    func staleUpdateNeverReachesTheIndex() async throws {
        let database = try await SQLiteDatabase.open(path: nil)
        try await Migrator.migrate(database)
        let index = RecordingIndex()
        let handler = ProfileVectorHandler(
            intelligence: ServiceAssembly.localIntelligence(content: TestRuntime.content), mirror: index,
            logger: Logger(label: "test"))
        let alice = UserID("alice")
        var ids = UniqueIDFactory()
        let (before, erasure) = (ids.next(now: Date(), random: (1, 1)), ids.next(now: Date(), random: (2, 2)))
        func update(trace: String) throws -> EventEnvelope {
            try EventEnvelope(
                id: EventID(UUID().uuidString), occurredAt: Date(), traceID: trace, userID: alice,
                payload: ProfileUpdated(version: 1, changes: [], profile: PersonalityProfile(), trigger: "answer"))
        }
        try await database.transaction { db in
            try await PersonErasure.record(alice, trace: erasure, group: .profileVectors, now: Date(), in: db)
        }
        #expect(try await handler.prepare(try update(trace: before), store: database) == nil)
        #expect(await index.upserted.isEmpty)

        let later = ids.next(now: Date().addingTimeInterval(1), random: (3, 3))
        #expect(try await handler.prepare(try update(trace: later), store: database) is ProfileVectorHandler.Embedded)
        #expect(await index.upserted == [alice])

        // The erasure itself takes the person out of the index, before its transaction.
        let erased = try EventEnvelope(
            id: "erasure", occurredAt: Date(), traceID: erasure, userID: alice, payload: UserErasureRequested())
        _ = try await handler.prepare(erased, store: database)
        #expect(await index.removed == [alice])
        try await database.close()
    }
}
