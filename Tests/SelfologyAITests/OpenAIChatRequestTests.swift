import AsyncHTTPClient
import SelfologyCore
import Testing

@testable import SelfologyAI

/// What goes over the wire to `/chat/completions`, read back by the fake as plain JSON.
@Suite("OpenAI chat: request")
struct OpenAIChatRequestTests {
    private func model(_ fake: FakeOpenAI, _ configuration: OpenAIConfiguration? = nil) -> OpenAIChatModel {
        OpenAIChatModel(
            model: "gpt-4o-mini",
            configuration: configuration ?? .openAI(apiKey: APIKey(FakeOpenAI.apiKey), baseURL: fake.baseURL),
            httpClient: .shared)
    }

    @Test func sendsModelSystemFirstTurnsInOrderAndTheCompletionTokenLimit() async throws {
        try await withFake(FakeOpenAI()) { fake in
            _ = try await model(fake).complete(chatRequest())
            let sent = try #require(fake.requests.first)
            #expect(sent.method == "POST")
            #expect(sent.path == "/v1/chat/completions")
            #expect(sent.header("authorization") == "Bearer \(FakeOpenAI.apiKey)")
            #expect(sent.header("content-type") == "application/json")
            let body = try #require(sent.body)
            #expect(body["model"] == "gpt-4o-mini")
            #expect(
                body["messages"]
                    == [
                        ["role": "system", "content": "You are a careful coach."], ["role": "user", "content": "Hi"],
                        ["role": "assistant", "content": "Hello, how are you?"],
                        ["role": "user", "content": .string(promptMarker)],
                    ])
            #expect(body["max_completion_tokens"] == 300)
            #expect(body["max_tokens"] == nil)
            #expect(body["temperature"]?.number == 0.2)
            #expect(body["response_format"] == nil)
            #expect(body["stream"] == nil)
        }
    }

    @Test func aCompatibleServerGetsMaxTokensAndNoAuthorizationWithoutAKey() async throws {
        try await withFake(FakeOpenAI(requiresKey: false)) { fake in
            let local = model(fake, .compatible(baseURL: fake.baseURL + "/"))
            #expect(local.id == ModelID(provider: "compatible", name: "gpt-4o-mini"))
            _ = try await local.complete(chatRequest(system: "", temperature: nil))
            let sent = try #require(fake.requests.first)
            #expect(sent.path == "/v1/chat/completions")
            #expect(sent.header("authorization") == nil)
            #expect(sent.body?["max_tokens"] == 300)
            #expect(sent.body?["max_completion_tokens"] == nil)
            #expect(sent.body?["temperature"] == nil)
            // An empty system prompt sends no system message at all.
            #expect(sent.body?["messages"]?[0]?["role"] == "user")
        }
    }

    @Test func structuredOutputAsksForAStrictJSONSchema() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.reply(#"{"mood":"calm"}"#))
            let completion = try await model(fake).complete(chatRequest(output: moodOutput))
            #expect(completion.text == #"{"mood":"calm"}"#)
            let body = try #require(fake.requests.first?.body)
            #expect(
                body["response_format"]
                    == [
                        "type": "json_schema",
                        "json_schema": [
                            "name": "mood_reading", "strict": true,
                            "schema": [
                                "type": "object", "properties": ["mood": ["type": "string"]], "required": ["mood"],
                                "additionalProperties": false,
                            ],
                        ],
                    ])
            #expect(body["messages"]?[0]?["content"] == "You are a careful coach.")
        }
    }

    @Test func jsonObjectModeSendsJSONObjectAndPutsTheSchemaInTheSystemPrompt() async throws {
        try await withFake(FakeOpenAI(requiresKey: false)) { fake in
            let local = model(fake, .compatible(baseURL: fake.baseURL, structuredOutput: .jsonObject))
            _ = try await local.complete(chatRequest(output: moodOutput))
            let body = try #require(fake.requests.first?.body)
            #expect(body["response_format"] == ["type": "json_object"])
            let system = try #require(body["messages"]?[0]?["content"]?.string)
            #expect(system.hasPrefix("You are a careful coach."))
            #expect(system.contains("mood_reading"))
            #expect(system.contains(#""required":["mood"]"#))
        }
    }

    @Test func modeNoneSendsNoResponseFormatButTheSchemaInThePrompt() async throws {
        try await withFake(FakeOpenAI(requiresKey: false)) { fake in
            let local = model(fake, .compatible(baseURL: fake.baseURL, structuredOutput: .none))
            _ = try await local.complete(chatRequest(system: "", output: moodOutput))
            let body = try #require(fake.requests.first?.body)
            #expect(body["response_format"] == nil)
            #expect(body["messages"]?[0]?["role"] == "system")
            #expect(body["messages"]?[0]?["content"]?.string?.contains(#""additionalProperties":false"#) == true)
        }
    }

    @Test func streamingAsksForUsageInTheStream() async throws {
        try await withFake(FakeOpenAI()) { fake in
            _ = await collect(model(fake).stream(chatRequest()))
            let sent = try #require(fake.requests.first)
            #expect(sent.body?["stream"] == true)
            #expect(sent.body?["stream_options"] == ["include_usage": true])
            #expect(sent.header("accept") == "text/event-stream")
        }
    }
}
