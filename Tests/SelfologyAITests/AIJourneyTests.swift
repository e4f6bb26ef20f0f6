import Foundation
import SQLKit
import SelfologyApp
import SelfologyContent
import SelfologyCore
import SelfologyServices
import ServiceLifecycle
import Synchronization
import Testing

@testable import SelfologyAI

/// The whole journey with remote models: every variable read the way an operator sets it, every model a fake
/// server speaking its provider's wire format.
@Suite("Whole journey with fake models")
struct AIJourneyTests {
    let person = UserID(rawValue: "ai-journey")

    @Test("onboarding, analysis, profile vectors and coaching go through the models and are accounted for")
    func journeyWithFakeModels() async throws {
        let openAI = FakeOpenAI()
        let anthropic = FakeAnthropic()
        let qdrant = FakeQdrant()
        try await openAI.start()
        try await anthropic.start()
        try await qdrant.start()
        openAI.setResponder { request in
            switch request.body?["response_format"]?["json_schema"]?["name"]?.string {
            case "instant_analysis": .reply(Outputs.instant)
            case "deep_analysis": .reply(Outputs.deep)
            default: .reply(Outputs.coach)
            }
        }
        anthropic.setFallback(.reply(Outputs.deep))

        var configuration = RuntimeConfiguration(
            dataPath: FileManager.default.temporaryDirectory
                .appendingPathComponent("selfology-ai-\(UUID().uuidString)/store.sqlite").path)
        configuration.ai = try AIConfiguration.fromEnvironment([
            "OPENAI_API_KEY": FakeOpenAI.apiKey, "OPENAI_BASE_URL": openAI.baseURL,
            "ANTHROPIC_API_KEY": FakeAnthropic.apiKey, "ANTHROPIC_BASE_URL": anthropic.baseURL,
            "QDRANT_URL": qdrant.baseURL, "SELFOLOGY_AI_PREMIUM_SHARE": "1",
            // A loaded test machine must not turn a slow fake into a fallback.
            "SELFOLOGY_AI_INSTANT_BUDGET_MS": "5000",
        ])
        configuration.session.targetAnswers = 4
        configuration.relay.pollInterval = .milliseconds(50)
        let transport = CollectingTransport()
        let runtime = try await SelfologyRuntime.prepare(
            configuration: configuration, content: RouterHarness.content, transport: transport)
        let group = runtime.makeServiceGroup()
        let running = Task { try await group.run() }

        func say(_ line: String) async throws -> [OutgoingMessage] {
            let before = transport.messages.count
            _ = try await runtime.gateway.receive(ChatInput.parse(line), from: person)
            #expect(try await runtime.settle(timeout: .seconds(20)))
            return Array(transport.messages.dropFirst(before))
        }

        _ = try await say("/start")
        var replies = try await say("yes")
        var textAnswers = 0
        for _ in 0..<8 {
            guard let question = replies.last(where: { $0.text.hasPrefix("Question ") }) else { break }
            let isScale = !question.buttons.isEmpty
            replies = try await say(isScale ? "4" : Answers.calm)
            if !isScale {
                textAnswers += 1
                #expect(replies.first?.text.contains("Quiet mornings seem to steady you.") == true)
            }
        }
        #expect(textAnswers > 0, "the journey asked open questions")
        replies = try await say("I slept badly and work feels heavy")
        #expect(replies.last?.text == Outputs.coach)

        let usage = try await runtime.database.read { db in
            try await UsageStore.rows(since: UsageStore.day(of: Date()), in: db)
        }
        let used = Set(usage.filter { $0.calls > $0.failures }.map { "\($0.task)/\($0.model)" })
        #expect(used.contains("instant_analysis/openai:gpt-4o-mini"))
        #expect(used.contains("coach_reply/openai:gpt-4o"))
        #expect(used.contains("profile_embedding/openai:text-embedding-3-small"))
        #expect(used.contains { $0.hasPrefix("deep_analysis/") })
        #expect(usage.reduce(0) { $0 + $1.costMicros } > 0)

        let (vector, coachCopy) = try await runtime.database.read { db in
            (
                try await SQLVectorIndex.vector(of: person, in: SQLVectorIndex.profileStorage, db: db),
                try await SQLVectorIndex.vector(of: person, in: SQLVectorIndex.coach, db: db)
            )
        }
        #expect(vector?.model == "openai:text-embedding-3-small")
        #expect(vector?.vector.count == 512)
        #expect(coachCopy?.vector == vector?.vector, "the coach got its copy through profile.vector.updated")
        #expect(qdrant.points(in: "user_profiles_512d").count == 1, "the vector is mirrored to Qdrant")
        // No message text or key in any request's headers, and the answer only in the model calls.
        #expect(!openAI.requests.contains { $0.headers.values.contains { $0.contains(Answers.calm) } })

        await group.triggerGracefulShutdown()
        try await running.value
        try await runtime.close()
        await openAI.stop()
        await anthropic.stop()
        await qdrant.stop()
    }
}

final class CollectingTransport: ChatTransport {
    private let sent = Mutex<[OutgoingMessage]>([])

    var messages: [OutgoingMessage] { sent.withLock { $0 } }

    func deliver(_ message: OutgoingMessage, to user: UserID) async throws {
        sent.withLock { $0.append(message) }
    }
}
