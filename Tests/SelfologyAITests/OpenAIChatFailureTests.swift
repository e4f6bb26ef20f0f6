import AsyncHTTPClient
import Foundation
import SelfologyCore
import SelfologyTestSupport
import Testing

@testable import SelfologyAI

/// Each way a call can fail, classified for the router; timeouts and cancellation end calls promptly.
@Suite("OpenAI chat: failures, timeouts, cancellation")
struct OpenAIChatFailureTests {
    private func model(_ fake: FakeOpenAI, key: String = FakeOpenAI.apiKey) -> OpenAIChatModel {
        OpenAIChatModel(
            model: "gpt-4o-mini", configuration: .openAI(apiKey: APIKey(key), baseURL: fake.baseURL),
            httpClient: .shared)
    }

    private func failure(_ behaviour: FakeModelBehaviour) async throws -> ModelCallError? {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(behaviour)
            return await thrownError { try await model(fake).complete(chatRequest()) } as? ModelCallError
        }
    }

    @Test func statusesMapToTheirClasses() async throws {
        #expect(
            try await failure(.status(429, errorType: "rate_limit_exceeded", retryAfter: "2"))
                == .rateLimited(retryAfter: .seconds(2)))
        #expect(try await failure(.status(429, errorType: "rate_limit_exceeded")) == .rateLimited(retryAfter: nil))
        #expect(
            try await failure(.status(503, errorType: "server_error", retryAfter: "1"))
                == .overloaded(retryAfter: .seconds(1)))
        #expect(
            try await failure(.status(500, errorType: "server_error")) == .server(status: 500, type: "server_error"))
        #expect(
            try await failure(.status(400, errorType: "invalid_request_error"))
                == .rejected(status: 400, type: "invalid_request_error"))
        #expect(
            try await failure(.raw(status: 502, body: "<html><h1>502 Bad Gateway</h1></html>"))
                == .server(status: 502, type: nil))
        #expect(
            try await failure(.raw(status: 200, body: "<html>hello</html>"))
                == .malformedResponse("not JSON at top level"))
    }

    @Test func aRetryAfterDateIsReadAsTheTimeUntilThen() async throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: Date().addingTimeInterval(120))
        let error = try await failure(.status(429, errorType: "rate_limit_exceeded", retryAfter: date))
        let wait = try #require(error?.retryAfter)
        // Whole seconds, minus however long a loaded machine took between writing the date and reading it (under
        // the full suite that once passed 15 s).
        #expect(wait > .seconds(60) && wait <= .seconds(120))
    }

    @Test func aWrongKeyIsRejectedWithTheErrorCodeWhenTypeIsMissing() async throws {
        try await withFake(FakeOpenAI()) { fake in
            let error = await thrownError { try await model(fake, key: "sk-wrong").complete(chatRequest()) }
            #expect(error as? ModelCallError == .rejected(status: 401, type: "invalid_request_error"))
        }
    }

    @Test func aServerThatNeverAnswersTimesOutOnTime() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.hang)
            let started = ContinuousClock.now
            let error = await thrownError { try await model(fake).complete(chatRequest(timeout: .milliseconds(300))) }
            #expect(error as? ModelCallError == .timedOut)
            #expect(ContinuousClock.now - started < .seconds(2))
        }
    }

    @Test func aDelayWithinTheTimeoutStillAnswers() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.delay(.milliseconds(150), then: .reply("late but fine")))
            let completion = try await model(fake).complete(chatRequest(timeout: .seconds(3)))
            #expect(completion.text == "late but fine")
        }
    }

    @Test func aStreamThatStallsAfterItsHeadersTimesOut() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.stall(after: ["Hel"]))
            let started = ContinuousClock.now
            // The first piece must come within the timeout: three seconds, as a loaded machine may need.
            let (pieces, error) = await collect(model(fake).stream(chatRequest(timeout: .seconds(3))))
            #expect(pieces == [.text("Hel")])
            #expect(error as? ModelCallError == .timedOut)
            #expect(ContinuousClock.now - started < .seconds(6))
        }
    }

    @Test func aSlowStreamThatFinishesWithinTheTimeoutCompletes() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.stream(["a", "b", "c"], delayBetween: .milliseconds(50)))
            // 150 ms of pauses against a timeout with room for a machine starved by the full suite (3 s ran out).
            let (pieces, error) = await collect(model(fake).stream(chatRequest(timeout: .seconds(15))))
            #expect(error == nil)
            #expect(pieces.count == 4)
        }
    }

    @Test func cancellingTheCallingTaskEndsACompletionPromptly() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.hang)
            let logs = CapturedLogs()
            let model = OpenAIChatModel(
                model: "gpt-4o-mini",
                configuration: .openAI(apiKey: APIKey(FakeOpenAI.apiKey), baseURL: fake.baseURL), httpClient: .shared,
                logger: logs.logger())
            let call = Task { try await model.complete(chatRequest(timeout: .seconds(30))) }
            try await Task.sleep(for: .milliseconds(150))
            let started = ContinuousClock.now
            call.cancel()
            let error = await thrownError { try await call.value }
            #expect(error is CancellationError, "\(String(describing: error))")
            #expect(ContinuousClock.now - started < .seconds(3), "prompt, with room for a loaded machine")
            #expect(logs.all.isEmpty, "a cancelled call is not a model failure")
        }
    }

    @Test func cancellingTheConsumerEndsAStreamPromptly() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.stall(after: ["Hel"]))
            let stream = model(fake).stream(chatRequest(timeout: .seconds(30)))
            let (firstPiece, firstPieceArrived) = AsyncStream.makeStream(of: Void.self)
            let consumer = Task {
                var pieces: [StreamPiece] = []
                do {
                    for try await piece in stream {
                        pieces.append(piece)
                        firstPieceArrived.yield()
                    }
                } catch {}
                return pieces
            }
            _ = await firstPiece.first { _ in true }
            let started = ContinuousClock.now
            consumer.cancel()
            let pieces = await consumer.value
            #expect(pieces == [.text("Hel")])
            #expect(ContinuousClock.now - started < .seconds(3), "prompt, with room for a loaded machine")
        }
    }

    @Test func aRefusedConnectionIsATransportFailure() async throws {
        // Nothing listens on port 1. A client that does not retry the connection reports the refusal at once: by
        // default AsyncHTTPClient retries until the call's deadline and reports it then, which on a loaded
        // machine raced the adapter's own timer (then the call read as timed out).
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let model = OpenAIChatModel(
            model: "gpt-4o-mini", configuration: .openAI(apiKey: APIKey("sk-x"), baseURL: "http://127.0.0.1:1/v1"),
            httpClient: client)
        let error = await thrownError { try await model.complete(chatRequest(timeout: .seconds(30))) }
        try await client.shutdown()
        guard case .transport = error as? ModelCallError else {
            Issue.record("expected a transport failure, got \(String(describing: error))")
            return
        }
    }
}
