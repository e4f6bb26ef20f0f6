import AsyncHTTPClient
import SelfologyCore
import Testing

@testable import SelfologyAI

/// How answers, streams and refusals from `/chat/completions` become completions.
@Suite("OpenAI chat: answers and streams")
struct OpenAIChatResponseTests {
    private func model(_ fake: FakeOpenAI) -> OpenAIChatModel {
        OpenAIChatModel(
            model: "gpt-4o-mini", configuration: .openAI(apiKey: APIKey(FakeOpenAI.apiKey), baseURL: fake.baseURL),
            httpClient: .shared)
    }

    @Test func parsesTextUsageAndFinishReason() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.reply("Breathe in slowly.", usage: FakeUsage(input: 120, output: 5)))
            let completion = try await model(fake).complete(chatRequest())
            #expect(
                completion
                    == Completion(
                        text: "Breathe in slowly.", usage: .init(inputTokens: 120, outputTokens: 5),
                        finishReason: "stop"))
        }
    }

    @Test func aRefusalIsRefused() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.refusal("I can't help with that."))
            let error = await thrownError { try await model(fake).complete(chatRequest(output: moodOutput)) }
            #expect(error as? ModelCallError == .refused)
        }
    }

    @Test func aContentFilterStopIsRefused() async throws {
        let body = #"""
            {"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":""},
            "finish_reason":"content_filter"}],"usage":{"prompt_tokens":3,"completion_tokens":0,"total_tokens":3}}
            """#
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.raw(status: 200, body: body, contentType: "application/json"))
            let error = await thrownError { try await model(fake).complete(chatRequest()) }
            #expect(error as? ModelCallError == .refused)
        }
    }

    @Test func anAnswerWithoutChoicesIsMalformed() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.raw(status: 200, body: #"{"id":"x","choices":[]}"#, contentType: "application/json"))
            let error = await thrownError { try await model(fake).complete(chatRequest()) }
            #expect(error as? ModelCallError == .malformedResponse("no choices"))
        }
    }

    @Test func streamingYieldsTheDeltasThenOneFinishedWithTheWholeAndTheUsage() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.stream(["Breathe ", "in ", "slowly."], usage: FakeUsage(input: 40, output: 3)))
            let (pieces, error) = await collect(model(fake).stream(chatRequest()))
            #expect(error == nil)
            #expect(
                pieces == [
                    .text("Breathe "), .text("in "), .text("slowly."),
                    .finished(
                        Completion(
                            text: "Breathe in slowly.", usage: .init(inputTokens: 40, outputTokens: 3),
                            finishReason: "stop")),
                ])
        }
    }

    @Test func streamingSurvivesFramesSplitMidLineAndMidCharacter() async throws {
        let events =
            #"data: {"choices":[{"index":0,"delta":{"content":"Тёплый "},"finish_reason":null}]}"# + "\r\n\r\n"
            + ": keep-alive\n\n"
            + #"data: {"choices":[{"index":0,"delta":{"content":"день ☀️"},"finish_reason":"stop"}]}"# + "\n\n"
            + #"data: {"choices":[],"usage":{"prompt_tokens":8,"completion_tokens":4,"total_tokens":12}}"# + "\n\n"
            + "data: [DONE]\n\n"
        try await withFake(FakeOpenAI()) { fake in
            // 5-byte chunks split the CRLF pair, the JSON, and the Cyrillic and emoji characters.
            fake.enqueue(.rawEvents(events, chunkBytes: 5))
            // What is checked is the parsing of split frames, not timing: CI's full suite loads both cores, and the
            // default 5 s once ran out while the small chunks trickled in.
            let (pieces, error) = await collect(model(fake).stream(chatRequest(timeout: .seconds(30))))
            #expect(error == nil)
            #expect(
                pieces.last
                    == .finished(
                        Completion(
                            text: "Тёплый день ☀️", usage: .init(inputTokens: 8, outputTokens: 4), finishReason: "stop"))
            )
        }
    }

    @Test func aStreamWithoutUsageFinishesWithZeroUsage() async throws {
        let events =
            #"data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}"# + "\n\ndata: [DONE]\n\n"
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.rawEvents(events))
            let (pieces, error) = await collect(model(fake).stream(chatRequest()))
            #expect(error == nil)
            #expect(pieces == [.text("Hi"), .finished(Completion(text: "Hi", usage: .zero, finishReason: "stop"))])
        }
    }

    @Test func aStreamCutOffBeforeItFinishesIsMalformed() async throws {
        let events = #"data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"# + "\n\n"
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.rawEvents(events))
            let (pieces, error) = await collect(model(fake).stream(chatRequest()))
            #expect(pieces == [.text("Hi")])
            #expect(error as? ModelCallError == .malformedResponse("stream ended before it finished"))
        }
    }

    @Test func aStreamedRefusalIsRefused() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.refusal("No."))
            let (pieces, error) = await collect(model(fake).stream(chatRequest(output: moodOutput)))
            #expect(pieces.isEmpty)
            #expect(error as? ModelCallError == .refused)
        }
    }

    @Test func anErrorChunkMidStreamEndsTheStreamWithItsClass() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.streamError(after: ["Hel"], errorType: "server_error"))
            let (pieces, error) = await collect(model(fake).stream(chatRequest()))
            #expect(pieces == [.text("Hel")])
            #expect(error as? ModelCallError == .server(status: 500, type: "server_error"))
        }
    }
}
