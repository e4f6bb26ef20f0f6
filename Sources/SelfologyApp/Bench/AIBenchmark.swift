import AsyncHTTPClient
import Foundation
import Logging
import SelfologyAI
import SelfologyContent
import SelfologyCore
import SelfologyServices

/// `selfology bench --ai`: what the router costs on top of a model call, and the instant phase end to end
/// (answer → feedback on the embedded runtime) when the model answers in 300 ms and when it hangs.
public enum AIBenchmark {
    public struct Report: Sendable {
        /// One HTTP call through the adapter alone, and the same call through the router, model answering at once.
        public let directCall: [Duration]
        public let routedCall: [Duration]
        /// Answer → instant feedback with the model answering after `modelDelay`, and with it hanging.
        public let slowModel: [Duration]
        public let hangingModel: [Duration]
        public let hangingModelAnsweredLocally: Int
        public let modelDelay: Duration
        public let instantBudget: Duration
    }

    public static func run(load: LoadBenchmark.Load, calls: Int, content: ContentLibrary) async throws -> Report {
        let server = BenchModelServer()
        return try await server.run { baseURL in
            let (direct, routed) = try await overhead(baseURL: baseURL, server: server, calls: calls, content: content)
            server.answer(after: .milliseconds(300))
            let slow = try await instantPhase(baseURL: baseURL, load: load, content: content)
            server.hang()
            let hanging = try await instantPhase(baseURL: baseURL, load: load, content: content)
            return Report(
                directCall: direct, routedCall: routed, slowModel: slow.feedback, hangingModel: hanging.feedback,
                hangingModelAnsweredLocally: hanging.localAnswers, modelDelay: .milliseconds(300),
                instantBudget: RouterSettings().instantBudget)
        }
    }

    /// The same instant-analysis request, `calls` times one after another: the adapter alone, then the router
    /// (budget read from the store, breaker, deadline, schema validation, the model's answer decoded).
    static func overhead(baseURL: String, server: BenchModelServer, calls: Int, content: ContentLibrary)
        async throws -> ([Duration], [Duration])
    {
        server.answer(after: .zero)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("selfology-ai-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (database, close) = try await SelfologyRuntime.openStore(
            RuntimeConfiguration(dataPath: directory.appendingPathComponent("bench.sqlite").path),
            logger: Logger(label: "bench"))
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try await Migrator.migrate(database)
            let model = OpenAIChatModel(
                model: "gpt-4o-mini", configuration: .openAI(apiKey: APIKey("sk-bench"), baseURL: baseURL),
                httpClient: http)
            let router = ModelRouter(
                models: [.simple: model], embedder: nil, local: ServiceAssembly.localIntelligence(content: content),
                schemas: try .bundled(),
                ledger: StoreSpendLedger(database: database), logger: Logger(label: "bench"))
            let question = content.bank.questions.first { !$0.kind.isScale }
            let task = AnswerTask(
                userID: UserID(rawValue: "bench"), answer: "I like quiet mornings with a book before work.",
                scaleValue: nil, question: question, language: .en)
            let request = CompletionRequest(
                system: AnalysisPrompt.instantSystem(language: .en),
                messages: [ChatMessage(role: .user, content: task.answer)], maxOutputTokens: 300,
                output: StructuredOutput(name: "instant_analysis", schema: .object([:])), timeout: .seconds(5))
            // Warm both paths (connections, caches) before measuring.
            for _ in 0..<50 {
                _ = try await model.complete(request)
                _ = await router.instantAnalysis(task)
            }
            var direct: [Duration] = []
            var routed: [Duration] = []
            for _ in 0..<calls {
                let start = ContinuousClock.now
                _ = try await model.complete(request)
                direct.append(ContinuousClock.now - start)
                let again = ContinuousClock.now
                let judged = await router.instantAnalysis(task)
                routed.append(ContinuousClock.now - again)
                guard judged.model == "openai:gpt-4o-mini" else { throw BenchError.modelNotUsed }
            }
            try await close()
            try await http.shutdown()
            return (direct, routed)
        } catch {
            try? await close()
            try? await http.shutdown()
            throw error
        }
    }

    /// The embedded runtime with the stand-in as its only model (the simple tier, so instant analysis uses it).
    static func instantPhase(baseURL: String, load: LoadBenchmark.Load, content: ContentLibrary) async throws
        -> (feedback: [Duration], localAnswers: Int)
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("selfology-ai-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = RuntimeConfiguration(dataPath: directory.appendingPathComponent("bench.sqlite").path)
        configuration.ai = try AIConfiguration.fromEnvironment([
            "SELFOLOGY_AI_COMPATIBLE_URL": baseURL, "SELFOLOGY_AI_SIMPLE": "compatible:gpt-4o-mini",
        ])
        configuration.session.targetAnswers = load.answersEach
        configuration.relay.pollInterval = .milliseconds(100)
        let transport = BenchTransport()
        let runtime = try await SelfologyRuntime.prepare(
            configuration: configuration, content: content, transport: transport, logger: Logger(label: "bench"))
        let group = runtime.makeServiceGroup()
        let services = Task { try await group.run() }
        defer { services.cancel() }
        let result = try await LoadBenchmark.run(load, runtime: runtime, transport: transport)
        let local = try await runtime.database.read { db in
            try await UsageStore.rows(since: UsageStore.day(of: Date()), in: db)
                .filter { $0.task == AITask.instantAnalysis.rawValue && $0.tier == "local" }
                .reduce(0) { $0 + Int($1.calls) }
        }
        await group.triggerGracefulShutdown()
        try await services.value
        try await runtime.close()
        return (result.feedback, local)
    }
}
