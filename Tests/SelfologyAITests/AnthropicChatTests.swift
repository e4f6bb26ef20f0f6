import AsyncHTTPClient
import Foundation
import SelfologyCore
import SelfologyTestSupport
import Testing

@testable import SelfologyAI

@Suite("Anthropic messages")
struct AnthropicChatTests {
    private func model(_ fake: FakeAnthropic, key: String = FakeAnthropic.apiKey) -> AnthropicChatModel {
        AnthropicChatModel(
            model: "claude-sonnet-4-20250514",
            configuration: AnthropicConfiguration(apiKey: APIKey(key), baseURL: fake.baseURL + "/"),
            httpClient: .shared)
    }

    @Test func sendsHeadersTopLevelSystemMaxTokensAndTurns() async throws {
        try await withFake(FakeAnthropic()) { fake in
            let model = model(fake)
            #expect(model.id == ModelID(provider: "anthropic", name: "claude-sonnet-4-20250514"))
            _ = try await model.complete(chatRequest())
            let sent = try #require(fake.requests.first)
            #expect(sent.path == "/v1/messages")
            #expect(sent.header("x-api-key") == FakeAnthropic.apiKey)
            #expect(sent.header("anthropic-version") == "2023-06-01")
            #expect(sent.header("authorization") == nil)
            let body = try #require(sent.body)
            #expect(body["model"] == "claude-sonnet-4-20250514")
            #expect(body["system"] == "You are a careful coach.")
            #expect(body["max_tokens"] == 300)
            #expect(body["temperature"]?.number == 0.2)
            #expect(
                body["messages"]
                    == [
                        ["role": "user", "content": "Hi"], ["role": "assistant", "content": "Hello, how are you?"],
                        ["role": "user", "content": .string(promptMarker)],
                    ])
            #expect(body["tools"] == nil)
            #expect(body["tool_choice"] == nil)
            #expect(body["stream"] == nil)
        }
    }

    @Test func parsesTextUsageAndStopReason() async throws {
        try await withFake(FakeAnthropic()) { fake in
            fake.enqueue(.reply("Notice your breath.", usage: FakeUsage(input: 210, output: 6)))
            let completion = try await model(fake).complete(chatRequest())
            #expect(
                completion
                    == Completion(
                        text: "Notice your breath.", usage: .init(inputTokens: 210, outputTokens: 6),
                        finishReason: "end_turn"))
        }
    }

    @Test func structuredOutputForcesOneToolAndReturnsItsInputAsJSONText() async throws {
        try await withFake(FakeAnthropic()) { fake in
            fake.enqueue(.reply(#"{"mood": "calm", "scores": [1, 2.5]}"#))
            let completion = try await model(fake).complete(chatRequest(output: moodOutput))
            #expect(completion.text == #"{"mood":"calm","scores":[1,2.5]}"#)
            #expect(completion.finishReason == "tool_use")
            let body = try #require(fake.requests.first?.body)
            #expect(body["tool_choice"] == ["type": "tool", "name": "mood_reading"])
            let tool = try #require(body["tools"]?[0])
            #expect(body["tools"]?.array?.count == 1)
            #expect(tool["name"] == "mood_reading")
            #expect(tool["input_schema"]?["required"] == ["mood"])
            #expect(tool["input_schema"]?["additionalProperties"] == false)
        }
    }

    @Test func aStructuredAnswerWithoutTheToolIsMalformed() async throws {
        try await withFake(FakeAnthropic()) { fake in
            fake.enqueue(.malformed)
            let error = await thrownError { try await model(fake).complete(chatRequest(output: moodOutput)) }
            #expect(error as? ModelCallError == .malformedResponse("no tool_use block named mood_reading"))
        }
    }

    @Test func aRefusalStopIsRefused() async throws {
        try await withFake(FakeAnthropic()) { fake in
            fake.enqueue(.refusal("I won't."), .refusal("I won't."))
            let error = await thrownError { try await model(fake).complete(chatRequest()) }
            #expect(error as? ModelCallError == .refused)
            let (_, streamError) = await collect(model(fake).stream(chatRequest()))
            #expect(streamError as? ModelCallError == .refused)
        }
    }

    @Test func streamingYieldsTextDeltasThenTheWholeWithInputAndOutputTokens() async throws {
        try await withFake(FakeAnthropic()) { fake in
            fake.enqueue(.stream(["Notice ", "your ", "breath."], usage: FakeUsage(input: 55, output: 4)))
            let (pieces, error) = await collect(model(fake).stream(chatRequest()))
            #expect(error == nil)
            #expect(
                pieces == [
                    .text("Notice "), .text("your "), .text("breath."),
                    .finished(
                        Completion(
                            text: "Notice your breath.", usage: .init(inputTokens: 55, outputTokens: 4),
                            finishReason: "end_turn")),
                ])
            #expect(fake.requests.first?.body?["stream"] == true)
        }
    }

    @Test func streamingAStructuredAnswerAssemblesThePartialJSON() async throws {
        try await withFake(FakeAnthropic()) { fake in
            fake.enqueue(.stream([#"{"mo"#, #"od": "#, #""calm"}"#]))
            let (pieces, error) = await collect(model(fake).stream(chatRequest(output: moodOutput)))
            #expect(error == nil)
            #expect(pieces.count == 4)
            guard case .finished(let completion) = pieces.last else {
                Issue.record("no finished piece")
                return
            }
            #expect(completion.text == #"{"mood": "calm"}"#)
            #expect(completion.finishReason == "tool_use")
            let parsed = try JSONValue.parse(completion.text)
            #expect(parsed == .object(["mood": .string("calm")]))
        }
    }

    @Test func aStreamedToolInputThatIsNotJSONIsMalformed() async throws {
        try await withFake(FakeAnthropic()) { fake in
            fake.enqueue(.malformed)
            let (_, error) = await collect(model(fake).stream(chatRequest(output: moodOutput)))
            #expect(error as? ModelCallError == .malformedResponse("streamed tool input is not JSON"))
        }
    }

    @Test func statusesAndErrorTypesMapToTheirClasses() async throws {
        try await withFake(FakeAnthropic()) { fake in
            fake.enqueue(
                .status(529, errorType: "overloaded_error"),
                .status(429, errorType: "rate_limit_error", retryAfter: "12"),
                .status(500, errorType: "overloaded_error"), .status(500, errorType: "api_error"),
                .status(400, errorType: "invalid_request_error"))
            var errors: [ModelCallError?] = []
            for _ in 0..<5 {
                errors.append(await thrownError { try await model(fake).complete(chatRequest()) } as? ModelCallError)
            }
            #expect(
                errors == [
                    .overloaded(retryAfter: nil), .rateLimited(retryAfter: .seconds(12)), .overloaded(retryAfter: nil),
                    .server(status: 500, type: "api_error"), .rejected(status: 400, type: "invalid_request_error"),
                ])
            let wrongKey = await thrownError { try await model(fake, key: "sk-ant-wrong").complete(chatRequest()) }
            #expect(wrongKey as? ModelCallError == .rejected(status: 401, type: "authentication_error"))
        }
    }

    @Test func anErrorEventMidStreamFailsTheStreamAsItsType() async throws {
        try await withFake(FakeAnthropic()) { fake in
            fake.enqueue(.streamError(after: ["Noti"], errorType: "overloaded_error"))
            let (pieces, error) = await collect(model(fake).stream(chatRequest()))
            #expect(pieces == [.text("Noti")])
            #expect(error as? ModelCallError == .overloaded(retryAfter: nil))
        }
    }

    @Test func aStreamThatEndsWithoutMessageStopIsMalformed() async throws {
        let events =
            #"event: message_start\#ndata: {"type":"message_start","message":{"usage":{"input_tokens":3,"output_tokens":1}}}\#n\#n"#
            + #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\#n\#n"#
        try await withFake(FakeAnthropic()) { fake in
            fake.enqueue(.rawEvents(events, chunkBytes: 7))
            // What is checked is the parsing of split frames, not timing: CI's full suite loads both cores, and the
            // default 5 s once ran out while the small chunks trickled in.
            let (pieces, error) = await collect(model(fake).stream(chatRequest(timeout: .seconds(30))))
            #expect(pieces == [.text("Hi")])
            #expect(error as? ModelCallError == .malformedResponse("stream ended before message_stop"))
        }
    }

    @Test func aHangAndAStalledStreamTimeOut() async throws {
        try await withFake(FakeAnthropic()) { fake in
            fake.enqueue(.hang, .stall(after: ["No"]))
            let started = ContinuousClock.now
            let error = await thrownError { try await model(fake).complete(chatRequest(timeout: .milliseconds(300))) }
            #expect(error as? ModelCallError == .timedOut)
            // The first piece must come within the timeout; on a machine loaded by the whole suite a second was
            // sometimes too short for it (CI), so three.
            let (pieces, streamError) = await collect(model(fake).stream(chatRequest(timeout: .seconds(3))))
            #expect(pieces == [.text("No")])
            #expect(streamError as? ModelCallError == .timedOut)
            #expect(ContinuousClock.now - started < .seconds(7))
        }
    }

    @Test func cancellingTheCallingTaskEndsTheCallPromptly() async throws {
        try await withFake(FakeAnthropic()) { fake in
            fake.enqueue(.hang)
            let model = model(fake)
            let call = Task { try await model.complete(chatRequest(timeout: .seconds(30))) }
            try await Task.sleep(for: .milliseconds(150))
            let started = ContinuousClock.now
            call.cancel()
            let error = await thrownError { try await call.value }
            #expect(error is CancellationError)
            #expect(ContinuousClock.now - started < .seconds(3), "prompt, with room for a loaded machine")
        }
    }

    @Test func noErrorCarriesTheKeyThePromptOrTheMessage() async throws {
        let logs = CapturedLogs()
        try await withFake(FakeAnthropic()) { fake in
            fake.enqueue(
                .status(400, errorType: "invalid_request_error", message: "PROVIDER-MESSAGE " + promptMarker),
                .status(529, errorType: "overloaded_error", message: "PROVIDER-MESSAGE"))
            let model = AnthropicChatModel(
                model: "claude-sonnet-4-20250514",
                configuration: AnthropicConfiguration(apiKey: APIKey(FakeAnthropic.apiKey), baseURL: fake.baseURL),
                httpClient: .shared, logger: logs.logger())
            for _ in 0..<2 {
                let error = try #require(await thrownError { try await model.complete(chatRequest()) })
                for text in ["\(error)", String(reflecting: error)] + logs.all {
                    #expect(!text.contains(FakeAnthropic.apiKey))
                    #expect(!text.contains("PROMPT-MARKER"))
                    #expect(!text.contains("PROVIDER-MESSAGE"))
                }
            }
            #expect(logs.all.count == 2)
        }
    }
}
