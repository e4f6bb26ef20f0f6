import Foundation
import SelfologyApp
import SelfologyCore
import Testing

@Suite("Session lifecycle: timeouts and fatigue")
struct SessionLifecycleTests {
    let dana = TerminalChat.userID(forName: "dana")

    @Test("an idle session times out after 30 minutes, not before, and resumes where it stopped")
    func timeout() async throws {
        let clock = ManualClock()
        let test = try await TestRuntime(targetAnswers: 5, clock: clock)
        _ = try await test.say("/start", as: dana)
        var replies = try await test.say("yes", as: dana)
        replies = try await test.say(try #require(Journey.answer(to: replies, turn: 0)), as: dana)
        let waiting = try #require(replies.last { $0.text.hasPrefix("Question 2 of 5") })

        clock.advance(by: 29 * 60)
        #expect(try await test.runtime.timeoutMonitor.sweep() == 0)
        clock.advance(by: 2 * 60)
        #expect(try await test.runtime.timeoutMonitor.sweep() == 1)
        try await test.settle()
        #expect(test.transport.all(for: dana).last?.text.contains("We stopped for a while") == true)
        #expect(try await test.count("onboarding_sessions", where: "status", equals: "timeout") == 1)

        replies = try await test.say("/resume", as: dana)
        #expect(replies.contains(text: "Welcome back"))
        #expect(replies.last?.text == waiting.text, "the waiting question is asked again")
        #expect(try await test.count("onboarding_sessions", where: "status", equals: "active") == 1)
        replies = try await test.say(try #require(Journey.answer(to: replies, turn: 1)), as: dana)
        #expect(replies.contains(text: "Question 3 of 5"))
        try await test.stop()
    }

    /// Answers until Smart Mix offers a break, saying "tired" once the warm-up is over.
    func answerUntilBreakOffer(_ test: TestRuntime) async throws -> [OutgoingMessage] {
        _ = try await test.say("/start", as: dana)
        var replies = try await test.say("yes", as: dana)
        for turn in 0..<8 {
            guard let question = replies.last(where: { $0.text.hasPrefix("Question") }) else { break }
            let tired = turn >= 3 && question.buttons.isEmpty
            replies = try await test.say(
                tired ? "tired, enough for now" : try #require(Journey.answer(to: replies, turn: turn)), as: dana)
            if replies.contains(text: "getting tired") { return replies }
        }
        throw TestFailure("no break was offered")
    }

    @Test("saying you are tired brings an offer of a break instead of a question; finishing ends the session")
    func fatigueFinish() async throws {
        let test = try await TestRuntime(targetAnswers: 10)
        let offer = try await answerUntilBreakOffer(test)
        #expect(!offer.contains(text: "Question"), "no question comes with the offer")
        #expect(offer.last?.buttons.first?.map(\.data) == ["break:pause", "break:finish", "break:continue"])
        let replies = try await test.press(.breakChoice(.finish), as: dana)
        #expect(replies.contains(text: "completes this round") && replies.contains(text: "Your profile"))
        #expect(try await test.count("onboarding_sessions", where: "status", equals: "completed") == 1)
        try await test.stop()
    }

    @Test("choosing to go on continues with the next question, and the same offer is not repeated at once")
    func fatigueGoOn() async throws {
        let test = try await TestRuntime(targetAnswers: 10)
        _ = try await answerUntilBreakOffer(test)
        var replies = try await test.say("continue", as: dana)
        #expect(replies.contains(text: "keep the next questions lighter"))
        #expect(replies.last?.text.hasPrefix("Question") == true)
        replies = try await test.say(try #require(Journey.answer(to: replies, turn: 1)), as: dana)
        #expect(!replies.contains(text: "getting tired"))
        #expect(try await test.count("onboarding_sessions", where: "status", equals: "active") == 1)
        try await test.stop()
    }

    @Test("a stale break button after the choice changes nothing")
    func staleBreakButton() async throws {
        let test = try await TestRuntime(targetAnswers: 10)
        _ = try await answerUntilBreakOffer(test)
        _ = try await test.press(.breakChoice(.pause), as: dana)
        let replies = try await test.press(.breakChoice(.finish), as: dana)
        #expect(replies.contains(text: "no longer active"))
        #expect(try await test.count("onboarding_sessions", where: "status", equals: "paused") == 1)
        try await test.stop()
    }
}
