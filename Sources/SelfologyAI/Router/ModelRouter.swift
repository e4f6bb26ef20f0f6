import Foundation
import Logging
import Metrics
import SelfologyCore
import SelfologyResilience
import SelfologyServices
import Synchronization

/// The schemas model output must satisfy, as loaded from the content bundle.
public struct AnalysisSchemas: Sendable {
    public let instant: JSONSchemaValidator
    public let deep: JSONSchemaValidator
    public let crisis: JSONSchemaValidator

    public init(instant: JSONSchemaValidator, deep: JSONSchemaValidator, crisis: JSONSchemaValidator) {
        self.instant = instant
        self.deep = deep
        self.crisis = crisis
    }
}

/// Seed services 3, 4 and 7's AI router: picks a tier per task, walks the fallback chain premium → standard →
/// simple → local, with a breaker per model, retries with backoff, a time budget per task, schema validation of
/// every answer, and daily budgets. It never fails: the local tier is always there at the end.
public final class ModelRouter: Intelligence {
    let models: [ModelTier: any LanguageModel]
    let embedder: (any EmbeddingModel)?
    let local: LocalIntelligence
    let schemas: AnalysisSchemas
    let prices: PriceTable
    let ledger: any SpendLedger
    let settings: RouterSettings
    let logger: Logger
    let random: @Sendable () -> Double
    let breakers: [ModelID: CircuitBreaker]
    private let routed = Mutex((premium: 0, all: 0))

    public init(
        models: [ModelTier: any LanguageModel], embedder: (any EmbeddingModel)?, local: LocalIntelligence,
        schemas: AnalysisSchemas, prices: PriceTable = .defaults, ledger: any SpendLedger,
        settings: RouterSettings = .init(), logger: Logger,
        random: @escaping @Sendable () -> Double = { .random(in: 0..<1) },
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.models = models
        self.embedder = embedder
        self.local = local
        self.schemas = schemas
        self.prices = prices
        self.ledger = ledger
        self.settings = settings
        self.logger = logger
        self.random = random
        // One breaker per model, shared by every tier and task that uses it.
        var breakers: [ModelID: CircuitBreaker] = [:]
        for id in models.values.map(\.id) + (embedder.map { [$0.id] } ?? []) where breakers[id] == nil {
            breakers[id] = CircuitBreaker(settings: settings.breaker, now: now)
        }
        self.breakers = breakers
    }

    public func breaker(for model: ModelID) -> CircuitBreaker? { breakers[model] }

    public func instantAnalysis(_ task: AnswerTask) async -> Judged<InstantAnalysis> {
        let localValue = local.instantNow(task)
        // A 1-5 answer needs no model: its feedback is exact and free.
        guard task.scaleValue == nil, let question = task.question else {
            return Judged(value: localValue, model: LocalIntelligence.analysisModel, usage: [])
        }
        let request = CompletionRequest(
            system: AnalysisPrompt.instantSystem(language: task.language),
            messages: [
                ChatMessage(
                    role: .user,
                    content: AnalysisPrompt.answerMessage(
                        question: question, answer: task.answer, language: task.language))
            ],
            maxOutputTokens: settings.instantMaxTokens, temperature: 0.3,
            output: StructuredOutput(name: "instant_analysis", schema: ModelSchema.strict(schemas.instant.schema)),
            timeout: settings.instantBudget)
        let schema = schemas.instant
        return await route(
            .instantAnalysis, user: task.userID, preferred: .simple, budget: settings.instantBudget,
            callTimeout: settings.instantBudget, request: request, stream: false,
            decode: { text in
                let analysis = try ModelOutput.decode(InstantAnalysis.self, from: text, schema: schema)
                // Counted words and the fatigue cue stay ours: Smart Mix's fatigue logic depends on them.
                return InstantAnalysis(
                    valence: analysis.valence, emotion: analysis.emotion, quality: analysis.quality,
                    insight: analysis.insight, wordCount: localValue.wordCount,
                    saidTired: analysis.saidTired || localValue.saidTired)
            },
            fallback: { localValue }, fallbackModel: LocalIntelligence.analysisModel)
    }

    public func deepAnalysis(_ task: AnswerTask) async -> Judged<DeepAnalysis> {
        // Scale items are scored exactly by their key; a model could only add noise.
        guard task.scaleValue == nil, let question = task.question else {
            return Judged(value: local.deepNow(task), model: LocalIntelligence.analysisModel, usage: [])
        }
        let preferred = TierPolicy.preferred(
            for: .deepAnalysis, question: question, valence: local.instantNow(task).valence)
        let request = CompletionRequest(
            system: AnalysisPrompt.deepSystem(language: task.language),
            messages: [
                ChatMessage(
                    role: .user,
                    content: AnalysisPrompt.answerMessage(
                        question: question, answer: task.answer, language: task.language))
            ],
            maxOutputTokens: settings.deepMaxTokens, temperature: 0.2,
            output: StructuredOutput(name: "deep_analysis", schema: ModelSchema.strict(schemas.deep.schema)),
            timeout: settings.deepCallTimeout)
        let schema = schemas.deep
        let local = self.local
        return await route(
            .deepAnalysis, user: task.userID, preferred: preferred, budget: settings.deepBudget,
            callTimeout: settings.deepCallTimeout, request: request, stream: false,
            decode: { text in try ModelSchema.deepAnalysis(from: text, schema: schema) },
            fallback: { local.deepNow(task) }, fallbackModel: LocalIntelligence.analysisModel)
    }

    public func coachReply(_ task: CoachTask) async -> Judged<String> {
        let context = task.context
        let request = CompletionRequest(
            system: CoachPrompt.system(
                profile: context.profile, style: context.style, insights: context.insights, language: context.language,
                peerDomains: context.peerDomains),
            messages: context.recentTurns.map {
                ChatMessage(role: $0.role == .user ? .user : .assistant, content: $0.text)
            } + [ChatMessage(role: .user, content: task.message)],
            maxOutputTokens: settings.coachMaxTokens, temperature: 0.7, output: nil,
            timeout: settings.coachCallTimeout)
        let local = self.local
        return await route(
            .coachReply, user: task.userID, preferred: .standard, budget: settings.coachBudget,
            callTimeout: settings.coachCallTimeout, request: request, stream: true,
            decode: { text in
                let reply = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !reply.isEmpty else { throw ModelOutput.Rejection.undecodable("empty reply") }
                return reply
            },
            fallback: { local.coachNow(task) }, fallbackModel: LocalIntelligence.coachModel)
    }

    /// On the simple tier and within the instant budget, as it runs beside the instant analysis of an answer (the
    /// feedback waits for both) or the coach's reply. A model that fails or is late leaves the patterns' word
    /// standing.
    public func crisisCheck(_ task: CrisisCheckTask) async -> Judged<CrisisCheck> {
        let request = CompletionRequest(
            system: CrisisCheck.system, messages: [ChatMessage(role: .user, content: task.text)],
            maxOutputTokens: settings.crisisMaxTokens, temperature: 0,
            output: StructuredOutput(name: "crisis_check", schema: ModelSchema.strict(schemas.crisis.schema)),
            timeout: settings.instantBudget)
        let schema = schemas.crisis
        return await route(
            task.aiTask, user: task.userID, preferred: .simple, budget: settings.instantBudget,
            callTimeout: settings.instantBudget, request: request, stream: false,
            decode: { text in try ModelOutput.decode(CrisisCheck.self, from: text, schema: schema) },
            fallback: { .safe }, fallbackModel: LocalIntelligence.crisisModel)
    }

    public func profileEmbedding(of summary: String, user: UserID) async -> Judged<[Float]> {
        var usage: [ModelUsage] = []
        if let embedder, let breaker = breakers[embedder.id], await budgetAllows(user: user) {
            let dimensions = embedder.dimensions
            let call = ModelCall<[Float], [Float]>(
                task: .profileEmbedding, tier: "embedding", model: embedder.id, breaker: breaker,
                retry: settings.retry, prices: prices, deadline: .now + settings.embeddingBudget,
                callTimeout: settings.embeddingBudget, random: random, logger: logger,
                call: { timeout in
                    let result = try await embedder.embed([summary], timeout: timeout)
                    guard let vector = result.vectors.first else {
                        throw ModelCallError.malformedResponse("no embedding")
                    }
                    return (vector, result.usage)
                },
                decode: { vector in
                    guard vector.count == dimensions else {
                        throw ModelOutput.Rejection.undecodable("wrong dimensions")
                    }
                    return VectorMath.normalized(vector)
                })
            if let vector = await call.run(usage: &usage) {
                return Judged(value: vector, model: embedder.id.description, usage: usage)
            }
        }
        let fallback = await local.profileEmbedding(of: summary, user: user)
        return Judged(
            value: fallback.value, model: fallback.model, usage: usage + localUsage(.profileEmbedding, fallback.model))
    }

    public var embeddingModel: String { embedder?.id.description ?? HashedEmbedding.model }

    // MARK: - The chain

    private func route<Value: Sendable>(
        _ task: AITask, user: UserID, preferred: ModelTier, budget: Duration, callTimeout: Duration,
        request: CompletionRequest, stream: Bool, decode: @escaping @Sendable (String) throws -> Value,
        fallback: () -> Value, fallbackModel: String
    ) async -> Judged<Value> {
        let deadline = ContinuousClock.now + budget
        var usage: [ModelUsage] = []
        for tier in await chain(for: user, preferred: preferred) {
            guard let model = models[tier], let breaker = breakers[model.id] else { continue }
            let call = ModelCall<String, Value>(
                task: task, tier: tier.rawValue, model: model.id, breaker: breaker, retry: settings.retry,
                prices: prices, deadline: deadline, callTimeout: callTimeout, random: random, logger: logger,
                call: { timeout in
                    var request = request
                    request.timeout = timeout
                    let completion =
                        stream ? try await Self.collect(model.stream(request)) : try await model.complete(request)
                    return (completion.text, completion.usage)
                },
                decode: decode)
            if let value = await call.run(usage: &usage) {
                return Judged(value: value, model: model.id.description, usage: usage)
            }
            if ContinuousClock.now >= deadline { break }
        }
        return Judged(value: fallback(), model: fallbackModel, usage: usage + localUsage(task, fallbackModel))
    }

    /// The tiers to try, most capable first, after budgets and the premium share; empty means local only.
    func chain(for user: UserID, preferred: ModelTier) async -> [ModelTier] {
        guard !models.isEmpty else { return [] }
        let use = await budgetUse(of: user)
        let start = routed.withLock { counts -> ModelTier? in
            guard
                let start = settings.tiers.start(
                    preferred: preferred, budgetUse: use, premiumCalls: counts.premium, routedCalls: counts.all)
            else { return nil }
            let first = start.chain.first { models[$0] != nil }
            counts.all += 1
            if first == .premium { counts.premium += 1 }
            return start
        }
        return start?.chain.filter { models[$0] != nil } ?? []
    }

    /// Calls so far that started at the premium tier, and all routed calls, in this process.
    public var tierCounts: (premium: Int, all: Int) { routed.withLock { $0 } }

    private func budgetUse(of user: UserID) async -> Double {
        let spent = await ledger.spentToday(by: user)
        return max(
            Double(spent.user) / Double(max(settings.userDailyBudgetMicros, 1)),
            Double(spent.total) / Double(max(settings.totalDailyBudgetMicros, 1)))
    }

    private func budgetAllows(user: UserID) async -> Bool { await budgetUse(of: user) < 1 }

    /// The local tier answered in place of a remote model: counted, so `selfology stats` shows fallbacks.
    private func localUsage(_ task: AITask, _ model: String) -> [ModelUsage] {
        Counter(label: "selfology_ai_fallbacks_total", dimensions: [("task", task.rawValue)]).increment()
        return [
            ModelUsage(
                task: task, tier: "local", model: model, outcome: .used, inputTokens: 0, outputTokens: 0, costMicros: 0)
        ]
    }

    static func collect(_ stream: AsyncThrowingStream<StreamPiece, any Error>) async throws -> Completion {
        for try await piece in stream {
            if case .finished(let completion) = piece { return completion }
        }
        throw ModelCallError.malformedResponse("stream ended before it finished")
    }
}
