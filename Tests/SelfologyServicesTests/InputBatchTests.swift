import Foundation
import SQLKit
import SelfologyCore
import SelfologyEmbedded
import Testing

@testable import SelfologyServices

/// Inputs that arrive while the front door is storing are stored together; each person's outcome is what it would
/// have been alone.
@Suite("The front door's batches")
struct InputBatchTests {
    @Test("thirty people consenting at once: every one stored and announced, in far fewer transactions")
    func concurrentConsents() async throws {
        let test = try await TestRuntime(startServices: false)
        let people = (0..<30).map { UserID("door-\($0)") }
        for person in people { _ = try await test.runtime.gateway.receive(.command(.start), from: person) }
        let sqlite = try #require(test.runtime.database as? SQLiteDatabase)
        let before = sqlite.commits.transactions

        let phases = try await withThrowingTaskGroup(of: ChatPhase.self) { group in
            for person in people {
                group.addTask { try await test.runtime.gateway.receive(.text("yes"), from: person) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        let transactions = sqlite.commits.transactions - before
        #expect(phases.count == 30 && phases.allSatisfy { $0 == .onboardingActive })
        #expect(transactions < 30, "\(transactions) transactions for 30 inputs")
        let (states, initiated) = try await test.runtime.database.read { db in
            (
                try await GatewayStore.states(of: people, in: db),
                try await db.select().column("user_id").from("event_outbox")
                    .where("event_type", .equal, EventType.onboardingInitiated.rawValue).all()
                    .map { try $0.decode(column: "user_id", as: String.self) }
            )
        }
        #expect(states.count == 30 && states.values.allSatisfy { $0.consentedAt != nil })
        #expect(Set(initiated) == Set(people.map(\.rawValue)) && initiated.count == 30)
        try await test.stop()
    }

    @Test("a person's inputs in one batch each start from the state the one before left")
    func samePersonInOneBatch() async throws {
        let test = try await TestRuntime(startServices: false)
        let person = UserID("door-same")
        _ = try await test.runtime.gateway.receive(.command(.start), from: person)
        _ = try await test.runtime.gateway.receive(.text("yes"), from: person)
        func input(_ input: ChatInput) -> InputBatches.Input {
            .init(input: input, user: person, screened: [], cached: nil, languageHint: nil, inputID: nil)
        }
        let outcomes = try await test.runtime.gateway.inputs.apply([input(.command(.pause)), input(.command(.resume))])
        #expect(outcomes.map(\.reaction.state.phase) == [.onboardingPaused, .onboardingActive])
        #expect(
            outcomes[1].reaction.events.map { type(of: $0).eventType } == [.sessionResumeRequested],
            "resumed from the pause")
        let stored = try await test.runtime.database.read { db in try await GatewayStore.state(of: person, in: db) }
        #expect(stored?.phase == .onboardingActive)
        try await test.stop()
    }
}
