import Foundation
import SelfologyApp
import SelfologyCore
import Testing

@Suite("Whole journey on the embedded runtime")
struct JourneyTests {
    let alice = TerminalChat.userID(forName: "alice")

    @Test(
        "consent, five answers with feedback, profile summary, a coach reply, all stored",
        arguments: TestStore.available, TestBus.available)
    func wholeJourney(store: TestStore, bus: TestBus) async throws {
        try await journey(on: try await TestRuntime(store: store, redisStreams: bus == .redis, targetAnswers: 5))
    }

    @Test(
        "the same journey on PostgreSQL and Redis through their Unix sockets",
        .enabled(if: TestStore.postgresSocketURL != nil && TestStore.redisSocketURL != nil))
    func journeyOverUnixSockets() async throws {
        try await journey(
            on: try await TestRuntime(
                store: .postgres, databaseURL: TestStore.postgresSocketURL, redisStreams: true,
                redisURL: TestStore.redisSocketURL, targetAnswers: 5))
    }

    func journey(on test: TestRuntime) async throws {
        var replies = try await test.say("/start", as: alice)
        #expect(replies.contains(text: "Do you agree?"))

        replies = try await test.say("yes", as: alice)
        #expect(replies.contains(text: "Question 1 of 5"))

        var answered = 0
        while let answer = Journey.answer(to: replies, turn: answered), answered < 10 {
            replies = try await test.say(answer, as: alice)
            answered += 1
            // Instant feedback comes first, before anything else the answer causes.
            let first = try #require(replies.first)
            #expect(!first.text.hasPrefix("Question"), "feedback must precede the next question")
            if replies.contains(text: "completes this round") { break }
            #expect(replies.contains(text: "Question \(answered + 1) of 5"))
        }
        #expect(answered == 5)
        #expect(replies.contains(text: "Your profile (") && replies.contains(text: "Big Five"))
        #expect(replies.contains(text: "Coaching style:"))

        replies = try await test.say("I had a rough day at work and my boss criticised my project", as: alice)
        let coach = try #require(replies.last)
        #expect(coach.text.count > 40)
        #expect(coach.text.contains("?"), "the coach asks one question back")

        let profile = try await test.say("/profile", as: alice)
        #expect(profile.contains(text: "answers analysed"))

        #expect(try await test.count("user_answers_new", where: "user_id", equals: alice.rawValue) == 5)
        #expect(try await test.count("personality_profiles", where: "user_id", equals: alice.rawValue) == 1)
        #expect(try await test.count("trait_history", where: "user_id", equals: alice.rawValue) > 0)
        #expect(try await test.count("unique_signatures", where: "user_id", equals: alice.rawValue) == 1)
        #expect(try await test.count("conversations", where: "user_id", equals: alice.rawValue) == 2)
        #expect(try await test.count("onboarding_sessions", where: "status", equals: "completed") == 1)
        #expect(try await test.count("event_outbox", where: "status", equals: "pending") == 0)
        try await test.stop()
    }

    @Test("quitting and starting again resumes the same person and session from the file")
    func resumeAfterRestart() async throws {
        let first = try await TestRuntime(targetAnswers: 5)
        _ = try await first.say("/start", as: alice)
        var replies = try await first.say("yes", as: alice)
        for turn in 0..<2 {
            replies = try await first.say(try #require(Journey.answer(to: replies, turn: turn)), as: alice)
        }
        let pending = try #require(replies.last(where: { $0.text.hasPrefix("Question 3 of 5") }))
        try await first.stop()

        let second = try await TestRuntime(reuse: first.location, targetAnswers: 5)
        replies = try await second.say("/start", as: alice)
        #expect(replies.contains(text: "Welcome back. Let's continue"))
        let repeated = try #require(replies.last)
        #expect(repeated.text == pending.text, "the question that was waiting is asked again")
        replies = try await second.say(try #require(Journey.answer(to: replies, turn: 2)), as: alice)
        #expect(replies.contains(text: "Question 4 of 5"))
        #expect(try await second.count("onboarding_sessions") == 1)
        #expect(try await second.count("user_answers_new") == 3)
        try await second.stop()
    }

    @Test("declining consent stores nothing at all")
    func declinedConsentStoresNothing() async throws {
        let test = try await TestRuntime()
        let bob = TerminalChat.userID(forName: "bob")
        _ = try await test.say("/start", as: bob)
        let replies = try await test.say("no", as: bob)
        #expect(replies.contains(text: "I have stored nothing about you"))
        // Typing on after refusing starts over; still nothing is stored.
        let again = try await test.say("I just want to talk", as: bob)
        #expect(again.contains(text: "Do you agree?"))
        for table in [
            "gateway_users", "outgoing_messages", "event_outbox", "user_answers_new", "onboarding_sessions",
            "personality_profiles", "conversations",
        ] {
            #expect(try await test.count(table) == 0, "\(table) must stay empty")
        }
        try await test.stop()
    }

    @Test("bad input gets a clear reply and loses no earlier answer")
    func badInput() async throws {
        let test = try await TestRuntime(targetAnswers: 5)
        _ = try await test.say("/start", as: alice)
        var replies = try await test.say("yes", as: alice)
        replies = try await test.say(try #require(Journey.answer(to: replies, turn: 0)), as: alice)
        #expect(try await test.say("   ", as: alice).contains(text: "I did not catch any words"))
        #expect(
            try await test.say(String(repeating: "a", count: 5000), as: alice).contains(text: "longer than I can take"))
        #expect(try await test.say("/frobnicate", as: alice).contains(text: "I do not know that command"))
        if replies.last?.buttons.isEmpty == false {
            #expect(try await test.say("seven", as: alice).contains(text: "single number from 1 to 5"))
        }
        #expect(try await test.count("user_answers_new") == 1)
        try await test.stop()
    }
}

@Suite("Profile over two sessions")
struct TwoSessionTests {
    let fay = TerminalChat.userID(forName: "fay")

    func completeRound(_ test: TestRuntime, startWith first: String) async throws -> [OutgoingMessage] {
        var replies = try await test.say(first, as: fay)
        var all = replies
        var turn = 0
        while let answer = Journey.answer(to: replies, turn: turn), turn < 12 {
            replies = try await test.say(answer, as: fay)
            all += replies
            turn += 1
            if replies.contains(text: "completes this round") { return all }
        }
        throw TestFailure("the round did not complete")
    }

    @Test("after two sessions /profile shows the Big Five with confidence, the style and evolution patterns")
    func evolutionAfterTwoSessions() async throws {
        let test = try await TestRuntime(targetAnswers: 6)
        _ = try await test.say("/start", as: fay)
        _ = try await completeRound(test, startWith: "yes")
        let second = try await completeRound(test, startWith: "/start")
        #expect(second.contains(text: "Welcome back. Let's start a new round"))
        let profile = try #require(try await test.say("/profile", as: fay).last?.text)
        #expect(profile.contains("answers analysed") && profile.contains("confidence"))
        #expect(profile.contains("Coaching style:"))
        #expect(profile.contains("Changes over time:"))
        #expect(try await test.count("onboarding_sessions", where: "status", equals: "completed") == 2)
        #expect(try await test.count("trait_history") > 10)
        let asked = try await test.count("asked_questions")
        #expect(asked == 12, "no question repeated across the two sessions")
        try await test.stop()
    }
}
