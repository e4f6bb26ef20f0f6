import AsyncHTTPClient
import Logging
import SelfologyAI
import SelfologyServices

/// Turns configured model names into adapters on one shared HTTP client.
enum ProviderFactory {
    static func chat(_ id: ModelID, _ configuration: AIConfiguration, _ http: HTTPClient) throws -> any LanguageModel {
        switch id.provider {
        case "openai":
            return OpenAIChatModel(model: id.name, configuration: try openAI(configuration), httpClient: http)
        case "compatible":
            return OpenAIChatModel(model: id.name, configuration: try compatible(configuration), httpClient: http)
        case "anthropic":
            guard let provider = configuration.anthropic, let key = provider.apiKey else {
                throw AIConfigurationError.invalid("ANTHROPIC_API_KEY", "needed for \(id)")
            }
            return AnthropicChatModel(
                model: id.name, configuration: AnthropicConfiguration(apiKey: APIKey(key), baseURL: provider.baseURL),
                httpClient: http)
        default:
            throw AIConfigurationError.invalid("model \(id)", "unknown provider")
        }
    }

    static func embedding(_ id: ModelID, _ configuration: AIConfiguration, _ http: HTTPClient) throws
        -> any EmbeddingModel
    {
        switch id.provider {
        case "openai":
            return OpenAIEmbeddingModel(model: id.name, configuration: try openAI(configuration), httpClient: http)
        case "compatible":
            return OpenAIEmbeddingModel(model: id.name, configuration: try compatible(configuration), httpClient: http)
        default:
            throw AIConfigurationError.invalid("SELFOLOGY_AI_EMBEDDING", "\(id.provider) has no embeddings API")
        }
    }

    static func qdrant(_ provider: AIConfiguration.Provider, _ configuration: AIConfiguration, _ http: HTTPClient)
        -> GuardedVectorIndex
    {
        let index = QdrantProfileIndex(
            configuration: .init(
                baseURL: provider.baseURL, apiKey: provider.apiKey.map(APIKey.init),
                collection: configuration.qdrantCollection),
            httpClient: http)
        return GuardedVectorIndex(index, setUp: { try await index.ensureCollection() })
    }

    private static func openAI(_ configuration: AIConfiguration) throws -> OpenAIConfiguration {
        guard let provider = configuration.openAI, let key = provider.apiKey else {
            throw AIConfigurationError.invalid("OPENAI_API_KEY", "needed for an openai model")
        }
        return .openAI(apiKey: APIKey(key), baseURL: provider.baseURL)
    }

    private static func compatible(_ configuration: AIConfiguration) throws -> OpenAIConfiguration {
        guard let provider = configuration.compatible else {
            throw AIConfigurationError.invalid("SELFOLOGY_AI_COMPATIBLE_URL", "needed for a compatible model")
        }
        return .compatible(
            baseURL: provider.baseURL, apiKey: provider.apiKey.map(APIKey.init),
            structuredOutput: configuration.compatibleOutput)
    }
}
