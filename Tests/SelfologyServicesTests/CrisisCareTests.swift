import Foundation
import SelfologyApp
import SelfologyCore
import Testing

@Suite("Crisis care through the services")
struct CrisisCareTests {
    let erin = TerminalChat.userID(forName: "erin")

    @Test("a crisis answer is met with resources, stored nowhere, pauses the session, and its question is not repeated")
    func crisisDuringOnboarding() async throws {
        let test = try await TestRuntime(targetAnswers: 5)
        _ = try await test.say("/start", as: erin)
        var replies = try await test.say("yes", as: erin)
        replies = try await test.say(try #require(Journey.answer(to: replies, turn: 0)), as: erin)
        let open = try #require(replies.last { $0.text.hasPrefix("Question 2") })

        replies = try await test.say("i just want to disappear forever, i have the pills ready", as: erin)
        #expect(replies.count == 1, "only the care message: no feedback, no question, no cold 'Paused.'")
        #expect(replies.first?.text.contains("findahelpline.com") == true)
        #expect(try await test.count("user_answers_new") == 1)
        #expect(try await test.count("onboarding_sessions", where: "status", equals: "paused") == 1)
        #expect(try await test.count("event_outbox", where: "event_type", equals: "safety.crisis.detected") == 1)
        #expect(try await test.count("event_outbox", where: "event_type", equals: "user.message.received") == 0)

        replies = try await test.say("/resume", as: erin)
        let next = try #require(replies.last)
        #expect(next.text.hasPrefix("Question 2") && next.text != open.text, "the open question is set aside")
        try await test.stop()
    }
}
