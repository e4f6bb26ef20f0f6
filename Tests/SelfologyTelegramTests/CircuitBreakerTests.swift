import SelfologyResilience
import Testing

@testable import SelfologyTelegram

@Suite("Circuit breaker")
struct CircuitBreakerTests {
    @Test func opensAfterConsecutiveFailuresOnly() {
        let time = ManualTime()
        let breaker = CircuitBreaker(
            settings: .init(failureThreshold: 3, openInterval: .seconds(10), halfOpenTrials: 1), now: time.now)
        breaker.recordFailure()
        breaker.recordFailure()
        breaker.recordSuccess()
        breaker.recordFailure()
        breaker.recordFailure()
        #expect(breaker.state == .closed, "a success in between resets the count")
        #expect(breaker.permitsCall())
        breaker.recordFailure()
        #expect(breaker.state == .open)
        #expect(!breaker.permitsCall())
    }

    @Test func letsOneTrialThroughAfterTheOpenIntervalAndClosesOnItsSuccess() {
        let time = ManualTime()
        let breaker = CircuitBreaker(
            settings: .init(failureThreshold: 1, openInterval: .seconds(10), halfOpenTrials: 1), now: time.now)
        breaker.recordFailure()
        time.advance(by: .seconds(9))
        #expect(!breaker.permitsCall())
        time.advance(by: .seconds(1))
        #expect(breaker.permitsCall())
        #expect(breaker.state == .halfOpen)
        #expect(!breaker.permitsCall(), "only one trial at a time")
        breaker.recordSuccess()
        #expect(breaker.state == .closed)
        #expect(breaker.permitsCall())
    }

    @Test func aFailedTrialOpensItAgainForAFullInterval() {
        let time = ManualTime()
        let breaker = CircuitBreaker(
            settings: .init(failureThreshold: 2, openInterval: .seconds(10), halfOpenTrials: 1), now: time.now)
        breaker.recordFailure()
        breaker.recordFailure()
        time.advance(by: .seconds(10))
        #expect(breaker.permitsCall())
        breaker.recordFailure()
        #expect(breaker.state == .open)
        time.advance(by: .seconds(9))
        #expect(!breaker.permitsCall())
        time.advance(by: .seconds(1))
        #expect(breaker.permitsCall())
    }

    @Test func aTrialThatNeverReportsIsReplacedAfterAnInterval() {
        let time = ManualTime()
        let breaker = CircuitBreaker(
            settings: .init(failureThreshold: 1, openInterval: .seconds(10), halfOpenTrials: 1), now: time.now)
        breaker.recordFailure()
        time.advance(by: .seconds(10))
        #expect(breaker.permitsCall())
        time.advance(by: .seconds(5))
        #expect(!breaker.permitsCall())
        time.advance(by: .seconds(5))
        #expect(breaker.permitsCall())
    }

    @Test func theClientFailsFastWhileOpenAndRecoversThroughATrial() async throws {
        try await FakeBotAPI.run { fake in
            let time = ManualTime()
            let breaker = CircuitBreaker(
                settings: .init(failureThreshold: 2, openInterval: .seconds(30), halfOpenTrials: 1), now: time.now)
            let client = fake.client(breaker: breaker)
            fake.script("getMe", .internalServerError, .badGatewayPage)
            await #expect(throws: TelegramError.api(code: 500, description: "Internal Server Error")) {
                try await client.getMe()
            }
            await #expect(throws: TelegramError.api(code: 502, description: "Bad Gateway")) { try await client.getMe() }
            await #expect(throws: TelegramError.circuitOpen) { try await client.getMe() }
            #expect(fake.calls(to: "getMe").count == 2, "the open breaker sent nothing")

            time.advance(by: .seconds(30))
            let bot = try await client.getMe()
            #expect(bot.isBot)
            #expect(breaker.state == .closed)
            #expect(fake.calls(to: "getMe").count == 3)
        }
    }

    @Test func answersAboutTheRequestDoNotOpenIt() async throws {
        try await FakeBotAPI.run { fake in
            let breaker = CircuitBreaker(
                settings: .init(failureThreshold: 2, openInterval: .seconds(30), halfOpenTrials: 1))
            let client = fake.client(breaker: breaker)
            fake.block(chatID: 8)
            fake.script("sendMessage", .tooManyRequests(retryAfter: 1))
            for _ in 0..<4 {
                await #expect(throws: TelegramError.self) { try await client.sendMessage(chatID: 8, text: "x") }
            }
            #expect(breaker.state == .closed)
        }
    }

    @Test func transportFailuresOpenIt() async {
        let breaker = CircuitBreaker(
            settings: .init(failureThreshold: 2, openInterval: .seconds(30), halfOpenTrials: 1))
        let client = FakeBotAPI.unreachableClient(breaker: breaker)
        for _ in 0..<2 {
            await #expect(throws: TelegramError.self) { try await client.getMe() }
        }
        await #expect(throws: TelegramError.circuitOpen) { try await client.getMe() }
    }
}
