import Foundation
import Logging
import SQLKit
import SelfologyApp
import SelfologyCore
import Synchronization
import Testing

@testable import SelfologyServices

/// Every consumer applies a batch in a few statements, with its rows read once and changed in memory event by
/// event. Whatever a batch holds, that must leave exactly what applying its events one at a time leaves: the same
/// rows and the same events emitted, in the same order.
@Suite("Consumers apply a batch as they would one event at a time")
struct HandlerBatchTests {
    static let people = ["alice", "bob"].map(TerminalChat.userID(forName:))

    /// The events two people's onboarding really produced: each answers five questions, one skips one, one asks
    /// for the profile, both talk to the coach; their events interleave as they did.
    static let recorded: Task<[EventEnvelope], any Error> = Task {
        let test = try await TestRuntime(targetAnswers: 10, clock: ManualClock())
        var replies: [UserID: [OutgoingMessage]] = [:]
        for person in people {
            _ = try await test.say("/start", as: person)
            replies[person] = try await test.say("yes", as: person)
        }
        _ = try await test.say("/skip", as: people[1])
        _ = try await test.say("/pause", as: people[1])
        replies[people[1]] = try await test.say("/resume", as: people[1])
        for turn in 0..<11 {
            for person in people {
                guard let answer = Journey.answer(to: replies[person] ?? [], turn: turn) else { continue }
                replies[person] = try await test.say(answer, as: person)
            }
        }
        _ = try await test.say("/profile", as: people[0])
        for person in people { _ = try await test.say("I slept badly and feel tense before a big meeting", as: person) }
        try await test.settle()
        let events = try await test.runtime.database.read { db in
            try await db.select().columns(OutboxStore.envelopeColumns).column(SQLJSONColumn(name: "payload"))
                .from("event_outbox").orderBy("id").all().map(OutboxStore.envelope(from:))
        }
        try await test.stop()
        return events
    }

    /// The tables each consumer group writes, with an order for their rows and the columns to compare (a vector's
    /// bytes are left out: its model, size and summary say whether it is the same).
    static let tables: [ConsumerGroup: [(table: String, order: String, columns: [String])]] = [
        .questionSelection: [
            ("selection_sessions", "session_id", SelectionStore.sessionColumns),
            ("asked_questions", "user_id, question_id", SelectionStore.askedColumns),
        ],
        .sessionManagement: [
            ("onboarding_sessions", "id", SessionStore.columns),
            (
                "user_answers_new", "id",
                ["event_id", "user_id", "session_id", "question_id", "answer_text", "scale_value", "created_at"]
            ),
        ],
        .profileStorage: [
            ("personality_profiles", "user_id", ["user_id", "profile_data", "version", "created_at", "updated_at"]),
            ("unique_signatures", "user_id", ["user_id", "thinking_style", "decision_pattern", "energy_rhythm"]),
            (
                "profile_patterns", "user_id, trait_category, trait_name",
                ["user_id", "trait_name", "pattern", "points"]
            ),
        ],
        .profileVectors: [("profile_vectors", "user_id", ["user_id", "model", "dimensions", "summary", "created_at"])],
        .traitEvolution: [
            ("trait_history", "id", ["user_id", "trait_category", "trait_name", "old_value", "new_value", "trigger"]),
            ("evolution_announcements", "user_id, trait_category, trait_name", ["user_id", "trait_name", "pattern"]),
        ],
        .coachInteraction: [
            ("coach_profiles", "user_id", ["user_id", "profile", "version"]),
            ("coach_vectors", "user_id", ["user_id", "model", "dimensions", "summary"]),
            ("insights", "id", ["user_id", "insight_type", "content"]),
            ("conversations", "id", ["user_id", "role", "content"]),
        ],
    ]

    @Test("the same rows and the same events", arguments: TestStore.available, Array(tables.keys))
    func batchEqualsOneByOne(store: TestStore, group: ConsumerGroup) async throws {
        // A coach reply is composed before its batch is applied (see `EventHandler.prepare`), so a batch holding
        // the person's profile update too answers from the profile before it; messages are left out here.
        let subscribed = EventCatalog.subscriptions(of: group).subtracting([.messageReceived])
        let events = try await Self.recorded.value.filter { subscribed.contains($0.type) }
        // The recording must give each person several events of the group in one batch, or it proves nothing.
        for person in Self.people { #expect(events.filter { $0.userID == person }.count >= 5) }
        let deliveries = events.map { Delivery(envelope: $0, tag: $0.id.rawValue, attempt: 1) }

        let oneByOne = try await Self.outcome(of: group, store: store) { runner in
            for delivery in deliveries { await runner.process([delivery], consumer: AckCountingConsumer()) }
        }
        let batched = try await Self.outcome(of: group, store: store) { runner in
            await runner.process(deliveries, consumer: AckCountingConsumer())
        }
        #expect(batched.rows == oneByOne.rows)
        #expect(batched.emitted == oneByOne.emitted)
        #expect(!batched.rows.isEmpty)
        #expect(!batched.emitted.isEmpty || group == .coachInteraction)
    }

    /// Applies the events with the group's consumer on a fresh store and returns its tables and what it emitted.
    static func outcome(
        of group: ConsumerGroup, store: TestStore, apply: (ConsumerRunner) async throws -> Void
    ) async throws -> (rows: [String], emitted: [String]) {
        let test = try await TestRuntime(store: store, startServices: false, clock: ManualClock())
        var handler = try #require(test.runtime.consumers.first { $0.handler.group == group }).handler
        if group == .sessionManagement {
            // New sessions get the recording's ids, so the recorded answers name them.
            var settings = SessionSettings()
            settings.targetAnswers = 10
            let sessions = try await recorded.value.filter { $0.type == .sessionCreated }
                .map { try $0.decode(SessionCreated.self).session.sessionID.rawValue }
            handler = SessionManagementHandler(settings: settings, ids: ReplayedIDs(sessions))
        }
        // A short window, so that five updates a person reach past it and patterns come and go.
        if group == .traitEvolution { handler = TraitEvolutionHandler(window: 3) }
        let clock = ManualClock()
        let runner = ConsumerRunner(
            handler: handler, bus: test.runtime.bus, database: test.runtime.database,
            factory: EventFactory(ids: TimeOrderedIDGenerator(clock: clock), clock: clock), outboxSignal: WakeSignal(),
            consumerName: "batch-test", logger: Logger(label: "test"))
        try await apply(runner)
        let tables = Self.tables[group] ?? []
        let (rows, emitted) = try await test.runtime.database.read { db -> ([String], [String]) in
            var rows: [String] = []
            for (table, order, columns) in tables {
                let text = columns.map { "CAST(\($0) AS TEXT) AS \($0)" }.joined(separator: ", ")
                for row in try await db.raw(
                    "SELECT \(unsafeRaw: text) FROM \(ident: table) ORDER BY \(unsafeRaw: order)"
                )
                .all() {
                    rows.append(
                        table + ": "
                            + (try columns.map { try row.decode(column: $0, as: String?.self) ?? "NULL" })
                            .joined(separator: " | "))
                }
            }
            let emitted = try await db.select().columns("user_id", "event_type")
                .column(SQLJSONColumn(name: "payload")).from("event_outbox").orderBy("id").all()
                .map { row in
                    try ["user_id", "event_type", "payload"].map { try row.decode(column: $0, as: String.self) }
                        .joined(separator: " ")
                }
            return (rows, emitted)
        }
        try await test.stop()
        return (rows, emitted)
    }
}

/// Hands out the given ids in order.
final class ReplayedIDs: IDGenerator {
    private let ids: Mutex<[String]>

    init(_ ids: [String]) { self.ids = Mutex(ids) }

    func next() -> String {
        ids.withLock { ids in ids.isEmpty ? UUID().uuidString : ids.removeFirst() }
    }
}
