import SelfologyContent
import SelfologyCore
import SelfologyServices
import Testing

@testable import SelfologyAI

/// The pure rules under the router: tier choice, budgets, prices, backoff.
@Suite("Routing rules")
struct RoutingRulesTests {
    @Test("tier per task; premium only for deep, heavy or distressed answers")
    func preferredTiers() throws {
        let bank = RouterHarness.content.bank.questions.filter { !$0.kind.isScale }
        let surface = try #require(bank.first { $0.depth == .surface && $0.energy != .heavy })
        let core = try #require(bank.first { $0.depth == .core })
        #expect(TierPolicy.preferred(for: .instantAnalysis, question: core, valence: -1) == .simple)
        #expect(TierPolicy.preferred(for: .coachReply, question: nil, valence: 0) == .standard)
        #expect(TierPolicy.preferred(for: .deepAnalysis, question: surface, valence: 0.2) == .standard)
        #expect(TierPolicy.preferred(for: .deepAnalysis, question: surface, valence: -0.7) == .premium)
        #expect(TierPolicy.preferred(for: .deepAnalysis, question: core, valence: 0.5) == .premium)
    }

    @Test("budget use downgrades to simple at 80% and to local at 100%; the premium share is a ceiling")
    func startTier() {
        let policy = TierPolicy(premiumShare: 0.1, downgradeAt: 0.8)
        #expect(policy.start(preferred: .standard, budgetUse: 0.79, premiumCalls: 0, routedCalls: 0) == .standard)
        #expect(policy.start(preferred: .premium, budgetUse: 0.8, premiumCalls: 0, routedCalls: 100) == .simple)
        #expect(policy.start(preferred: .standard, budgetUse: 1.0, premiumCalls: 0, routedCalls: 0) == nil)
        #expect(policy.start(preferred: .premium, budgetUse: 0, premiumCalls: 0, routedCalls: 9) == .premium)
        #expect(policy.start(preferred: .premium, budgetUse: 0, premiumCalls: 1, routedCalls: 10) == .standard)
        #expect(ModelTier.premium.chain == [.premium, .standard, .simple])
        #expect(ModelTier.simple.chain == [.simple])
    }

    @Test("cost from tokens and the price table; unknown models are free; the table parses and refuses garbage")
    func prices() throws {
        let table = try PriceTable.parse("gpt-4o=2.5/10, my-model=1/2")
        #expect(table.costMicros(model: "gpt-4o", usage: TokenUsage(inputTokens: 1_000, outputTokens: 100)) == 3_500)
        #expect(table.costMicros(model: "my-model", usage: TokenUsage(inputTokens: 3, outputTokens: 1)) == 5)
        #expect(table.costMicros(model: "llama3.1", usage: TokenUsage(inputTokens: 9_999, outputTokens: 9_999)) == 0)
        #expect(throws: PriceTableError.malformed("gpt-4o=cheap")) { try PriceTable.parse("gpt-4o=cheap") }
    }

    @Test("backoff doubles from the base with jitter, is capped, and honours retry-after within the cap")
    func backoff() {
        let policy = RetryPolicy()
        #expect(policy.delay(after: 1, retryAfter: nil, unit: 1) == .seconds(1))
        #expect(policy.delay(after: 2, retryAfter: nil, unit: 1) == .seconds(2))
        #expect(policy.delay(after: 2, retryAfter: nil, unit: 0) == .seconds(1))
        #expect(policy.delay(after: 9, retryAfter: nil, unit: 1) == .seconds(10))
        #expect(policy.delay(after: 1, retryAfter: .seconds(3), unit: 0) == .seconds(3))
        #expect(policy.delay(after: 1, retryAfter: .seconds(11), unit: 0) == nil)
    }

    @Test("the schema given to models drops what strict modes refuse but keeps field names")
    func strictSchema() throws {
        let schema = try ContentLibraryFixtures.instantSchema()
        let strict = ModelSchema.strict(schema)
        guard case .object(let top) = strict, case .object(let properties)? = top["properties"],
            case .object(let insight)? = properties["insight"]
        else {
            Issue.record("schema shape changed")
            return
        }
        #expect(top["$schema"] == nil && top["$id"] == nil && top["title"] == nil)
        #expect(insight["maxLength"] == nil && insight["type"] == .string("string"))
        #expect(Set(properties.keys) == ["valence", "emotion", "quality", "insight", "word_count", "said_tired"])
    }
}

enum ContentLibraryFixtures {
    static func instantSchema() throws -> JSONValue {
        try SelfologyContent.ContentLibrary.schema("instant-analysis", version: 1).schema
    }
}
