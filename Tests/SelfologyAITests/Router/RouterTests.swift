import Foundation
import SelfologyCore
import SelfologyServices
import Testing

@testable import SelfologyAI

/// The router against fake OpenAI and Anthropic servers: tier choice, the fallback chain, retries, breakers,
/// budgets, schema rejection and streaming.
@Suite("Model router")
struct RouterTests {
    @Test("instant analysis goes to the simple tier and keeps our word count")
    func instantUsesSimpleTier() async throws {
        let harness = RouterHarness()
        try await harness.start()
        harness.openAI.setFallback(.reply(Outputs.instant))
        let judged = try await harness.router().instantAnalysis(RouterHarness.task())
        #expect(judged.model == "openai:gpt-4o-mini")
        #expect(judged.value.insight == "Quiet mornings seem to steady you.")
        #expect(judged.value.wordCount == Tokenizer.tokens(Answers.calm).count)
        #expect(harness.calls(to: "gpt-4o-mini") == 1 && harness.calls(to: "gpt-4o") == 0)
        let request = try #require(harness.openAI.requests.last?.body)
        #expect(request["response_format"]?["json_schema"]?["name"]?.string == "instant_analysis")
        #expect(judged.usage.map(\.outcome) == [.used])
        #expect(judged.usage.first?.costMicros ?? 0 > 0)
        try await harness.stop()
    }

    @Test("deep analysis: standard for ordinary questions, premium for SHADOW and CORE ones")
    func deepTierFollowsDepth() async throws {
        let harness = RouterHarness()
        try await harness.start()
        harness.openAI.setFallback(.reply(Outputs.deep))
        harness.anthropic.setFallback(.reply(Outputs.deep))
        let router = try harness.router()
        let ordinary = await router.deepAnalysis(RouterHarness.task(depth: .conscious))
        let deep = await router.deepAnalysis(RouterHarness.task(depth: .core))
        #expect(ordinary.model == "openai:gpt-4o")
        #expect(deep.model == "anthropic:claude-sonnet-4-20250514")
        // Whatever source a model claims, its evidence is marked as the model's, and never fully confident.
        #expect(deep.value.evidence.allSatisfy { $0.source == .model && $0.confidence <= 0.8 })
        let toolChoice = try #require(harness.anthropic.requests.last?.body?["tool_choice"])
        #expect(toolChoice["name"]?.string == "deep_analysis")
        try await harness.stop()
    }

    @Test("the premium share caps how many calls start at Claude")
    func premiumShareIsCapped() async throws {
        let harness = RouterHarness()
        try await harness.start()
        harness.openAI.setFallback(.reply(Outputs.deep))
        harness.anthropic.setFallback(.reply(Outputs.deep))
        var settings = RouterHarness.fastSettings()
        settings.tiers.premiumShare = 0.25
        let router = try harness.router(settings)
        for _ in 0..<8 { _ = await router.deepAnalysis(RouterHarness.task(depth: .core)) }
        #expect(harness.calls(to: "claude-sonnet-4-20250514") == 2)
        #expect(harness.calls(to: "gpt-4o") == 6)
        #expect(router.tierCounts.premium == 2 && router.tierCounts.all == 8)
        try await harness.stop()
    }

    @Test("each fallback step: premium overloaded → standard failing → simple failing → local")
    func fallbackChainReachesLocal() async throws {
        let harness = RouterHarness()
        try await harness.start()
        harness.anthropic.setFallback(.status(529, errorType: "overloaded_error"))
        harness.openAI.setFallback(.reply(Outputs.deep))
        let router = try harness.router()
        let toStandard = await router.deepAnalysis(RouterHarness.task(depth: .core))
        #expect(toStandard.model == "openai:gpt-4o")
        // Three attempts at Claude (529 is retryable), then GPT-4o answered.
        #expect(harness.calls(to: "claude-sonnet-4-20250514") == 3)
        #expect(toStandard.usage.map(\.outcome) == [.failed, .failed, .failed, .used])

        harness.openAI.setResponder { request in
            request.body?["model"]?.string == "gpt-4o" ? .status(500, errorType: "server_error") : .reply(Outputs.deep)
        }
        let toSimple = await router.deepAnalysis(RouterHarness.task(depth: .conscious))
        #expect(toSimple.model == "openai:gpt-4o-mini")

        harness.openAI.setResponder { _ in .status(503, errorType: "server_error") }
        let toLocal = await router.deepAnalysis(RouterHarness.task(depth: .conscious))
        #expect(toLocal.model == LocalIntelligence.analysisModel)
        #expect(toLocal.usage.last?.tier == "local")
        #expect(!toLocal.value.evidence.isEmpty, "the local tier still scores the answer")
        try await harness.stop()
    }

    @Test("retries only what is retryable: a 400 is tried once, a 429 honours retry-after")
    func retryCount() async throws {
        let harness = RouterHarness()
        try await harness.start()
        harness.openAI.enqueue(.status(400, errorType: "invalid_request_error"), .reply(Outputs.deep))
        let router = try harness.router()
        let rejected = await router.deepAnalysis(RouterHarness.task())
        #expect(harness.calls(to: "gpt-4o") == 1, "a rejected request is not repeated")
        #expect(rejected.model == "openai:gpt-4o-mini")

        harness.openAI.enqueue(.status(429, errorType: "rate_limit_exceeded", retryAfter: "0"), .reply(Outputs.deep))
        let limited = await router.deepAnalysis(RouterHarness.task())
        #expect(limited.model == "openai:gpt-4o")
        #expect(harness.calls(to: "gpt-4o") == 3)

        // Asked to wait longer than the cap: no waiting, the next model instead.
        harness.openAI.enqueue(.status(429, errorType: "rate_limit_exceeded", retryAfter: "30"), .reply(Outputs.deep))
        let impatient = await router.deepAnalysis(RouterHarness.task())
        #expect(impatient.model == "openai:gpt-4o-mini")
        try await harness.stop()
    }

    @Test("breaker: opens after 5 failures, refuses calls for 60 s, closes after 3 good trials")
    func breakerCycle() async throws {
        let harness = RouterHarness()
        try await harness.start()
        var settings = RouterHarness.fastSettings()
        settings.retry = RetryPolicy(attempts: 1, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(1))
        let router = try harness.router(settings)
        let breaker = try #require(router.breaker(for: ModelID(provider: "openai", name: "gpt-4o-mini")))
        harness.openAI.setFallback(.status(502, errorType: "server_error"))
        for _ in 0..<5 { _ = await router.instantAnalysis(RouterHarness.task()) }
        #expect(breaker.state == .open)
        #expect(harness.calls(to: "gpt-4o-mini") == 5)

        harness.openAI.setFallback(.reply(Outputs.instant))
        let refused = await router.instantAnalysis(RouterHarness.task())
        #expect(refused.model == LocalIntelligence.analysisModel)
        #expect(harness.calls(to: "gpt-4o-mini") == 5, "an open breaker sends nothing")

        harness.clock.advance(.seconds(61))
        for trial in 1...3 {
            let judged = await router.instantAnalysis(RouterHarness.task())
            #expect(judged.model == "openai:gpt-4o-mini")
            #expect(breaker.state == (trial < 3 ? .halfOpen : .closed))
        }

        // A failed trial opens it again.
        harness.openAI.setFallback(.status(502, errorType: "server_error"))
        for _ in 0..<5 { _ = await router.instantAnalysis(RouterHarness.task()) }
        harness.clock.advance(.seconds(61))
        _ = await router.instantAnalysis(RouterHarness.task())
        #expect(breaker.state == .open)
        try await harness.stop()
    }

    @Test("budgets: at 80% only the simple tier, at 100% the local tier and no call at all")
    func budgetDowngrade() async throws {
        let harness = RouterHarness()
        try await harness.start()
        harness.openAI.setFallback(.reply(Outputs.deep))
        harness.anthropic.setFallback(.reply(Outputs.deep))
        let router = try harness.router()
        harness.ledger.set(user: 420_000)  // of a 500,000 µ$ daily budget
        let cheaper = await router.deepAnalysis(RouterHarness.task(depth: .core))
        #expect(cheaper.model == "openai:gpt-4o-mini")

        harness.ledger.set(user: 0, total: 50_000_000)
        let before = harness.openAI.requests.count + harness.anthropic.requests.count
        let spent = await router.deepAnalysis(RouterHarness.task(depth: .core))
        #expect(spent.model == LocalIntelligence.analysisModel)
        #expect(harness.openAI.requests.count + harness.anthropic.requests.count == before)
        try await harness.stop()
    }

    @Test("output that breaks the schema is retried once on the same model, then the next tier answers")
    func schemaRejection() async throws {
        let harness = RouterHarness()
        try await harness.start()
        // Instant goes to the simple tier: not JSON, then JSON out of range, and the local tier answers.
        harness.openAI.enqueue(.malformed, .reply(Outputs.instantOutOfRange))
        let judged = try await harness.router().instantAnalysis(RouterHarness.task())
        #expect(judged.model == LocalIntelligence.analysisModel)
        #expect(harness.calls(to: "gpt-4o-mini") == 2)
        #expect(judged.usage.map(\.outcome) == [.failed, .failed, .used])
        try await harness.stop()
    }

    @Test("the coach streams, and the pieces are assembled into one reply")
    func coachStreams() async throws {
        let harness = RouterHarness()
        try await harness.start()
        harness.openAI.enqueue(.stream(streamPieces(of: Outputs.coach), delayBetween: .milliseconds(2)))
        let context = CoachContext(
            profile: PersonalityProfile(), style: .adapted(to: PersonalityProfile()),
            recentTurns: [ConversationTurn(role: .user, text: "hi"), ConversationTurn(role: .coach, text: "hello")],
            insights: [], language: .en, peerDomains: ["WORK", "HEALTH"])
        let judged = try await harness.router().coachReply(
            CoachTask(userID: UserID(rawValue: "c"), message: "I slept well", context: context))
        #expect(judged.value == Outputs.coach)
        #expect(judged.model == "openai:gpt-4o")
        let body = try #require(harness.openAI.requests.last?.body)
        #expect(body["stream"]?.bool == true)
        #expect(body["messages"]?.array?.count == 4, "system, two earlier turns, the new message")
        #expect(body["messages"]?[0]?["content"]?.string?.contains("work, health") == true)
        try await harness.stop()
    }

    @Test("a hanging model: the instant phase answers from the local tier within its budget")
    func hangingModelFallsBack() async throws {
        let harness = RouterHarness()
        try await harness.start()
        harness.openAI.setFallback(.hang)
        var settings = RouterHarness.fastSettings()
        settings.instantBudget = .milliseconds(200)
        let judged = try await harness.router(settings).instantAnalysis(RouterHarness.task())
        #expect(judged.model == LocalIntelligence.analysisModel)
        #expect(judged.usage.first?.outcome == .failed)
        try await harness.stop()
    }

    @Test("profile embeddings: 512 dimensions from the remote model, the local hash when it fails")
    func embeddings() async throws {
        let harness = RouterHarness()
        try await harness.start()
        let router = try harness.router(embeddings: true)
        let remote = await router.profileEmbedding(of: "openness high; extraversion low", user: UserID(rawValue: "e"))
        #expect(remote.model == "openai:text-embedding-3-small")
        #expect(remote.value.count == 512)
        #expect(abs(remote.value.reduce(0) { $0 + $1 * $1 } - 1) < 0.001, "stored as a unit vector")
        #expect(harness.openAI.requests.last?.body?["dimensions"]?.int == 512)

        harness.openAI.setFallback(.status(500, errorType: "server_error"))
        let local = await router.profileEmbedding(of: "openness high; extraversion low", user: UserID(rawValue: "e"))
        #expect(local.model == HashedEmbedding.model)
        #expect(local.value == HashedEmbedding.embed("openness high; extraversion low"))
        try await harness.stop()
    }
}
