import Foundation
import SQLKit
import SelfologyCore
import Testing

@testable import SelfologyServices

/// A batch's model calls, several people's, are counted in one statement: per day, person, task, tier and model.
@Suite("Model usage recorded in batches")
struct UsageBatchTests {
    func call(_ task: AITask, model: String, failed: Bool = false, cost: Int64) -> ModelUsage {
        ModelUsage(
            task: task, tier: "standard", model: model, outcome: failed ? .failed : .used, inputTokens: 100,
            outputTokens: 10, costMicros: cost)
    }

    @Test("two people's calls, one of them retried, add up per person and model", arguments: TestStore.available)
    func batchAddsUp(store: TestStore) async throws {
        let test = try await TestRuntime(store: store, startServices: false)
        let (ann, ben) = (UserID("usage-ann"), UserID("usage-ben"))
        let now = Date()
        try await test.runtime.database.transaction { db in
            try await UsageStore.record(
                [
                    (ann, call(.instantAnalysis, model: "openai:a", failed: true, cost: 5)),
                    (ann, call(.instantAnalysis, model: "openai:a", cost: 7)),
                    (ben, call(.instantAnalysis, model: "openai:a", cost: 11)),
                    (ben, call(.deepAnalysis, model: "openai:b", cost: 13)),
                ], now: now, in: db)
            // A later batch adds to the same rows.
            try await UsageStore.record([(ann, call(.instantAnalysis, model: "openai:a", cost: 1))], now: now, in: db)
        }
        let rows = try await test.runtime.database.read { db in
            try await UsageStore.rows(since: UsageStore.day(of: now), in: db)
        }
        let instant = try #require(rows.first { $0.task == AITask.instantAnalysis.rawValue })
        #expect(instant.calls == 4 && instant.failures == 1 && instant.costMicros == 24 && instant.people == 2)
        #expect(instant.inputTokens == 400)
        let deep = try #require(rows.first { $0.task == AITask.deepAnalysis.rawValue })
        #expect(deep.calls == 1 && deep.costMicros == 13 && deep.people == 1)
        let spent = try await test.runtime.database.read { db in
            try await UsageStore.spent(on: UsageStore.day(of: now), by: ann, in: db)
        }
        #expect(spent.user == 13 && spent.total == 37)
        try await test.stop()
    }
}
