import AsyncHTTPClient
import Logging
import NIOHTTP1

/// A text-embedding model behind `POST {baseURL}/embeddings` (OpenAI or a compatible server), asking for
/// `dimensions`-long float vectors.
public struct OpenAIEmbeddingModel: EmbeddingModel {
    public let id: ModelID
    public let dimensions: Int
    private let configuration: OpenAIConfiguration
    private let http: ProviderHTTP
    private let logger: Logger

    /// `model` is sent as is (`text-embedding-3-small`); `dimensions` goes out as the `dimensions` parameter and every
    /// vector that comes back must have that length.
    public init(
        model: String, dimensions: Int = 512, configuration: OpenAIConfiguration, httpClient: HTTPClient,
        logger: Logger = Logger(label: "selfology.ai.openai")
    ) {
        self.id = ModelID(provider: configuration.provider, name: model)
        self.dimensions = dimensions
        self.configuration = configuration
        self.http = ProviderHTTP(
            client: httpClient, key: configuration.apiKey, maximumResponseBytes: configuration.maximumResponseBytes)
        self.logger = logger
    }

    public func embed(_ texts: [String], timeout: Duration) async throws -> Embeddings {
        guard !texts.isEmpty else { return Embeddings(vectors: [], usage: .zero) }
        return try await ModelCallLog.around(id, logger) {
            try await CallDeadline.run(timeout) {
                var headers = HTTPHeaders()
                if let key = configuration.apiKey { headers.add(name: "authorization", value: "Bearer \(key.secret)") }
                let request = EmbeddingsRequest(
                    model: id.name, input: texts, dimensions: dimensions, encodingFormat: "float")
                let response = try await http.post(
                    configuration.url("/embeddings"), headers: headers, body: request, timeout: timeout)
                let body = try await http.collect(response)
                return try embeddings(
                    from: ProviderHTTP.decode(EmbeddingsResponse.self, from: body), count: texts.count)
            }
        }
    }

    /// The API documents `index` on each item rather than promising the order, so vectors are placed by index.
    private func embeddings(from response: EmbeddingsResponse, count: Int) throws -> Embeddings {
        let items = response.data.sorted { $0.index < $1.index }
        guard items.map(\.index) == Array(0..<count) else {
            throw ModelCallError.malformedResponse("expected \(count) embeddings indexed from 0")
        }
        guard items.allSatisfy({ $0.embedding.count == dimensions }) else {
            throw ModelCallError.malformedResponse("expected \(dimensions) dimensions")
        }
        return Embeddings(
            vectors: items.map(\.embedding),
            usage: TokenUsage(inputTokens: response.usage?.promptTokens ?? 0, outputTokens: 0))
    }
}

struct EmbeddingsRequest: Encodable {
    let model: String
    let input: [String]
    let dimensions: Int
    let encodingFormat: String

    enum CodingKeys: String, CodingKey {
        case model, input, dimensions
        case encodingFormat = "encoding_format"
    }
}

struct EmbeddingsResponse: Decodable {
    struct Item: Decodable {
        let index: Int
        let embedding: [Float]
    }
    struct Usage: Decodable {
        let promptTokens: Int

        enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens" }
    }
    let data: [Item]
    let usage: Usage?
}
