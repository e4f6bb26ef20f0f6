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
            case "crisis_check": .reply(Outputs.safe)
            default: .reply(Outputs.coach)
            }
        }
        anthropic.setFallback(.reply(Outputs.deep))

        let test = try await ModelRuntime(
            environment: [
                "OPENAI_API_KEY": FakeOpenAI.apiKey, "OPENAI_BASE_URL": openAI.baseURL,
                "ANTHROPIC_API_KEY": FakeAnthropic.apiKey, "ANTHROPIC_BASE_URL": anthropic.baseURL,
                "QDRANT_URL": qdrant.baseURL, "SELFOLOGY_AI_PREMIUM_SHARE": "1",
            ], targetAnswers: 4, person: person)
        let runtime = test.runtime

        _ = try await test.say("/start")
        var replies = try await test.say("yes")
        var textAnswers = 0
        for _ in 0..<8 {
            guard let question = replies.last(where: { $0.text.hasPrefix("Question ") }) else { break }
            let isScale = !question.buttons.isEmpty
            replies = try await test.say(isScale ? "4" : Answers.calm)
            if !isScale {
                textAnswers += 1
                #expect(replies.first?.text.contains("Quiet mornings seem to steady you.") == true)
            }
        }
        #expect(textAnswers > 0, "the journey asked open questions")
        replies = try await test.say("I slept badly and work feels heavy")
        #expect(replies.last?.text == Outputs.coach)

        let used = try await test.usedModels()
        #expect(used.contains("instant_analysis/openai:gpt-4o-mini"))
        #expect(used.contains("crisis_check/openai:gpt-4o-mini"))
        #expect(used.contains("coach_reply/openai:gpt-4o"))
        #expect(used.contains("profile_embedding/openai:text-embedding-3-small"))
        #expect(used.contains { $0.hasPrefix("deep_analysis/") })
        let usage = try await runtime.database.read { db in
            try await UsageStore.rows(since: UsageStore.day(of: Date()), in: db)
        }
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

        try await test.stop()
        await openAI.stop()
        await anthropic.stop()
        await qdrant.stop()
    }
}
