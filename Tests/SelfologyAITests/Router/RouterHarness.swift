import AsyncHTTPClient
import Foundation
import Logging
import SelfologyApp
import SelfologyContent
import SelfologyCore
import SelfologyServices
import Synchronization

@testable import SelfologyAI

/// The router over fake OpenAI and Anthropic servers: premium Claude, standard GPT-4o, simple GPT-4o-mini, with
/// retries shortened to milliseconds so tests do not sleep for seconds.
final class RouterHarness: Sendable {
    let openAI = FakeOpenAI()
    let anthropic = FakeAnthropic()
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    let clock = TestClock()
    let ledger = FixedLedger()

    static let content: ContentLibrary = {
        do { return try ContentLibrary.bundled() } catch { fatalError("bundled content must load: \(error)") }
    }()

    static var local: LocalIntelligence { ServiceAssembly.localIntelligence(content: content) }

    static func fastSettings() -> RouterSettings {
        var settings = RouterSettings()
        settings.retry = RetryPolicy(attempts: 3, baseDelay: .milliseconds(5), maximumDelay: .milliseconds(50))
        settings.tiers.premiumShare = 1
        // Generous time budgets: a loaded test machine must not turn a slow answer into a fallback. A streamed coach
        // reply once took over 2 s in the whole suite on 2 cores; only tests of hanging models wait these out.
        settings.instantBudget = .seconds(10)
        settings.deepBudget = .seconds(10)
        settings.coachBudget = .seconds(10)
        settings.deepCallTimeout = .seconds(5)
        settings.coachCallTimeout = .seconds(5)
        return settings
    }

    func start() async throws {
        try await openAI.start()
        try await anthropic.start()
    }

    func stop() async throws {
        await openAI.stop()
        await anthropic.stop()
        try await http.shutdown()
    }

    func router(_ settings: RouterSettings = RouterHarness.fastSettings(), embeddings: Bool = false) throws
        -> ModelRouter
    {
        let openAIConfiguration = OpenAIConfiguration.openAI(apiKey: APIKey(FakeOpenAI.apiKey), baseURL: openAI.baseURL)
        let clock = self.clock
        return ModelRouter(
            models: [
                .premium: AnthropicChatModel(
                    model: "claude-sonnet-4-20250514",
                    configuration: AnthropicConfiguration(
                        apiKey: APIKey(FakeAnthropic.apiKey), baseURL: anthropic.baseURL),
                    httpClient: http),
                .standard: OpenAIChatModel(model: "gpt-4o", configuration: openAIConfiguration, httpClient: http),
                .simple: OpenAIChatModel(model: "gpt-4o-mini", configuration: openAIConfiguration, httpClient: http),
            ],
            embedder: embeddings
                ? OpenAIEmbeddingModel(
                    model: "text-embedding-3-small", configuration: openAIConfiguration, httpClient: http)
                : nil,
            local: Self.local,
            schemas: try .bundled(),
            ledger: ledger, settings: settings, logger: Logger(label: "test"), random: { 0.5 }, now: { clock.now })
    }

    /// Chat requests each fake received for `model`.
    func calls(to model: String) -> Int {
        (openAI.requests + anthropic.requests).filter { $0.body?["model"]?.string == model }.count
    }

    /// A text question of the given depth, and an answer to it.
    static func task(depth: DepthLevel = .conscious, energy: EnergyDynamics? = nil, answer: String = Answers.calm)
        -> AnswerTask
    {
        let question = content.bank.questions.first {
            !$0.kind.isScale && $0.depth == depth && (energy == nil || $0.energy == energy)
        }
        return AnswerTask(
            userID: UserID(rawValue: "router-test"), answer: answer, scaleValue: nil, question: question, language: .en)
    }
}

enum Answers {
    static let calm = "I like quiet mornings with a book and a cup of tea before work."
}

/// Model outputs that satisfy our schemas, and one that breaks them.
enum Outputs {
    static let instant =
        #"{"valence":0.4,"emotion":"calm","quality":0.7,"insight":"Quiet mornings seem to steady you.","word_count":3,"said_tired":false}"#
    static let deep =
        #"{"evidence":[{"trait":{"category":"big_five","name":"openness"},"value":0.8,"label":null,"confidence":0.9,"source":"scale_item","reference":"enjoys reading"}],"patterns":["reflective"],"insights":["Reading grounds this person."]}"#
    /// Valid JSON, but valence 5 is outside -1...1.
    static let instantOutOfRange =
        #"{"valence":5,"emotion":null,"quality":0.7,"insight":"x","word_count":3,"said_tired":false}"#
    static let coach =
        "That sounds like a calm start. Could you keep ten minutes of it tomorrow? What would make it easier?"
    static let safe = #"{"in_danger":false,"categories":[]}"#
    static let inDanger = #"{"in_danger":true,"categories":["suicidal_intent"]}"#
}

/// Today's spend as a test sets it.
final class FixedLedger: SpendLedger {
    private let spent = Mutex<(user: Int64, total: Int64)>((0, 0))

    func set(user: Int64, total: Int64 = 0) { spent.withLock { $0 = (user, total) } }

    func spentToday(by user: UserID) async -> (user: Int64, total: Int64) { spent.withLock { $0 } }
}

/// A monotonic clock the test moves by hand, for the breakers.
final class TestClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { instant.withLock { $0 } }

    func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
}
