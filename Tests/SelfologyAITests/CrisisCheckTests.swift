import Foundation
import SelfologyApp
import SelfologyCore
import SelfologyServices
import Testing

@testable import SelfologyAI

/// A model's second opinion on danger, through the whole runtime: the fake OpenAI server reads danger in exactly
/// one text, one that the crisis patterns let through.
@Suite("Crisis check by a model")
struct CrisisCheckTests {
    static let goodbye = "Pretty sure this is my last week. I feel weirdly peaceful about it."

    static func fakeModels() async throws -> FakeOpenAI {
        let openAI = FakeOpenAI()
        try await openAI.start()
        openAI.setResponder { request in
            let text = request.body?["messages"]?[1]?["content"]?.string
            switch request.body?["response_format"]?["json_schema"]?["name"]?.string {
            case "instant_analysis": return .reply(Outputs.instant)
            case "deep_analysis": return .reply(Outputs.deep)
            case "crisis_check": return .reply(text == goodbye ? Outputs.inDanger : Outputs.safe)
            default: return .reply(Outputs.coach)
            }
        }
        return openAI
    }

    static func environment(_ openAI: FakeOpenAI) -> [String: String] {
        ["OPENAI_API_KEY": FakeOpenAI.apiKey, "OPENAI_BASE_URL": openAI.baseURL]
    }

    @Test("an answer the patterns let through, read as danger by the model: resources, and the questions pause")
    func answer() async throws {
        #expect(RouterHarness.content.crisis.categories(in: Self.goodbye).isEmpty, "the patterns let it through")
        let openAI = try await Self.fakeModels()
        let test = try await ModelRuntime(
            environment: Self.environment(openAI), targetAnswers: 8, person: UserID(rawValue: "crisis-answer"))
        _ = try await test.say("/start")
        var replies = try await test.say("yes")
        for _ in 0..<8 {
            guard let question = replies.last(where: { $0.text.hasPrefix("Question ") }), !question.buttons.isEmpty
            else { break }
            replies = try await test.say("4")
        }
        #expect(replies.last?.text.hasPrefix("Question ") == true && replies.last?.buttons.isEmpty == true)

        replies = try await test.say(Self.goodbye)
        let care = try #require(replies.first { $0.text.contains("your life matters") })
        #expect(care.text.contains("988") || care.text.contains("116 123") || care.text.contains("findahelpline"))
        // Care instead of the model's cheerful feedback on that answer, and no next question.
        #expect(replies.count == 1, "replies: \(replies.count)")
        #expect(!replies.contains { $0.text == "Quiet mornings seem to steady you." || $0.text.hasPrefix("Question ") })
        // The questions paused: whatever the person writes now is met with the follow-up, not taken as an answer.
        #expect(try await test.say("ok").map(\.text) == [SafetyTexts.followUp[.en]])
        // /resume goes on with the questions, though the question chosen after that answer was never shown.
        #expect(try await test.say("/resume").contains { $0.text.hasPrefix("Question ") })
        #expect(try await test.usedModels().contains("crisis_check/openai:gpt-4o-mini"))
        try await test.stop()
        await openAI.stop()
    }

    @Test("a chat message read as danger by the model is met with care and no coach reply; a safe one gets the coach")
    func message() async throws {
        let openAI = try await Self.fakeModels()
        let test = try await ModelRuntime(
            environment: Self.environment(openAI), targetAnswers: 3, person: UserID(rawValue: "crisis-message"))
        _ = try await test.say("/start")
        _ = try await test.say("yes")
        _ = try await test.say("/end")
        #expect(try await test.say("Work was long today").last?.text == Outputs.coach)
        let replies = try await test.say(Self.goodbye)
        #expect(replies.count == 1 && replies[0].text.contains("your life matters"))
        #expect(try await test.usedModels().contains("message_crisis_check/openai:gpt-4o-mini"))
        try await test.stop()
        await openAI.stop()
    }

    @Test("a model that answers outside the schema leaves the patterns' word standing, and is counted as failed")
    func rejectedAnswer() async throws {
        let harness = RouterHarness()
        try await harness.start()
        harness.openAI.setResponder { _ in .reply(#"{"in_danger":"maybe","categories":[]}"#) }
        let judged = await try harness.router().crisisCheck(
            CrisisCheckTask(userID: UserID(rawValue: "u"), text: Self.goodbye, language: .en, source: .answer))
        #expect(judged.value == .safe && judged.model == LocalIntelligence.crisisModel)
        #expect(judged.usage.contains { $0.task == .crisisCheck && $0.outcome == .failed })
        try await harness.stop()
    }
}
