import AsyncHTTPClient
import SelfologyCore
import Testing

@testable import SelfologyAI

@Suite("OpenAI embeddings")
struct OpenAIEmbeddingTests {
    private func model(_ fake: FakeOpenAI, dimensions: Int = 512) -> OpenAIEmbeddingModel {
        OpenAIEmbeddingModel(
            model: "text-embedding-3-small", dimensions: dimensions,
            configuration: .openAI(apiKey: APIKey(FakeOpenAI.apiKey), baseURL: fake.baseURL), httpClient: .shared)
    }

    @Test func sendsModelInputsDimensionsAndFloatEncoding() async throws {
        try await withFake(FakeOpenAI()) { fake in
            let model = model(fake)
            #expect(model.id == ModelID(provider: "openai", name: "text-embedding-3-small"))
            #expect(model.dimensions == 512)
            _ = try await model.embed(["calm and curious", "restless"], timeout: .seconds(5))
            let sent = try #require(fake.requests.first)
            #expect(sent.path == "/v1/embeddings")
            #expect(sent.header("authorization") == "Bearer \(FakeOpenAI.apiKey)")
            #expect(
                sent.body
                    == [
                        "model": "text-embedding-3-small", "input": ["calm and curious", "restless"], "dimensions": 512,
                        "encoding_format": "float",
                    ])
        }
    }

    @Test func placesVectorsByIndexAndReadsPromptTokens() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.reverseEmbeddingOrder()
            let texts = ["calm and curious", "restless", "kind to others"]
            let embeddings = try await model(fake, dimensions: 64).embed(texts, timeout: .seconds(5))
            #expect(embeddings.vectors.count == 3)
            for (text, vector) in zip(texts, embeddings.vectors) {
                #expect(vector == FakeOpenAI.vector(for: text, dimensions: 64).map { Float($0) })
            }
            #expect(embeddings.usage == TokenUsage(inputTokens: 7, outputTokens: 0))
        }
    }

    @Test func vectorsOfAnotherLengthAreMalformed() async throws {
        try await withFake(FakeOpenAI()) { fake in
            let configuration = OpenAIConfiguration.openAI(apiKey: APIKey(FakeOpenAI.apiKey), baseURL: fake.baseURL)
            // The model asks for 512 but a server that ignores `dimensions` answers with its own length.
            let body =
                #"{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],"usage":{"prompt_tokens":1,"total_tokens":1}}"#
            fake.enqueue(.raw(status: 200, body: body, contentType: "application/json"))
            let model = OpenAIEmbeddingModel(
                model: "text-embedding-3-small", configuration: configuration, httpClient: .shared)
            let error = await thrownError { try await model.embed(["x"], timeout: .seconds(5)) }
            #expect(error as? ModelCallError == .malformedResponse("expected 512 dimensions"))
        }
    }

    @Test func noTextsMakeNoRequest() async throws {
        try await withFake(FakeOpenAI()) { fake in
            let embeddings = try await model(fake).embed([], timeout: .seconds(5))
            #expect(embeddings == Embeddings(vectors: [], usage: .zero))
            #expect(fake.requests.isEmpty)
        }
    }

    @Test func failuresAndHangsAreClassified() async throws {
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(.status(429, errorType: "rate_limit_exceeded", retryAfter: "3"), .hang)
            let first = await thrownError { try await model(fake).embed(["x"], timeout: .seconds(5)) }
            #expect(first as? ModelCallError == .rateLimited(retryAfter: .seconds(3)))
            let second = await thrownError { try await model(fake).embed(["x"], timeout: .milliseconds(300)) }
            #expect(second as? ModelCallError == .timedOut)
        }
    }
}
