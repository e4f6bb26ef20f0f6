import AsyncHTTPClient
import Logging
import SelfologyAI
import SelfologyContent
import SelfologyCore
import SelfologyServices

/// Builds the intelligence from configuration: the local tier alone by default; otherwise the router over the
/// configured providers (one shared HTTP client), with the local tier last, and Qdrant behind a breaker.
enum AIAssembly {
    static func make(
        configuration: AIConfiguration, content: ContentLibrary, database: any Database, logger: Logger
    ) async throws -> Intelligences {
        let local = ServiceAssembly.localIntelligence(content: content)
        guard configuration.usesRemoteModels || configuration.qdrant != nil else {
            return Intelligences(intelligence: local)
        }
        var http = HTTPClient.Configuration()
        // Calls to one model server at the same time. AsyncHTTPClient's default of 8 HTTP/1.1 connections per
        // host queued the ninth call behind a whole model latency (a self-hosted server speaks HTTP/1.1; OpenAI
        // and Anthropic multiplex over HTTP/2 anyway). Consumers prepare many batches at once, so allow more.
        http.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
        do {
            return try build(
                configuration: configuration, local: local, database: database, http: client, logger: logger)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func build(
        configuration: AIConfiguration, local: LocalIntelligence, database: any Database, http: HTTPClient,
        logger: Logger
    ) throws -> Intelligences {
        let intelligence: any Intelligence
        if configuration.usesRemoteModels {
            intelligence = ModelRouter(
                models: try configuration.tiers.mapValues { try ProviderFactory.chat($0, configuration, http) },
                embedder: try configuration.embedding.map { try ProviderFactory.embedding($0, configuration, http) },
                local: local,
                schemas: try .bundled(),
                prices: configuration.prices, ledger: StoreSpendLedger(database: database),
                settings: configuration.router, logger: logger)
        } else {
            intelligence = local
        }
        let vectors = configuration.qdrant.map { ProviderFactory.qdrant($0, configuration, http) }
        return Intelligences(intelligence: intelligence, vectorIndex: vectors, shutdown: { try await http.shutdown() })
    }
}

extension AnalysisSchemas {
    /// The schemas of the content bundle, each at the version its type reads.
    public static func bundled() throws -> AnalysisSchemas {
        AnalysisSchemas(
            instant: try ContentLibrary.schema("instant-analysis", version: InstantAnalysis.schemaVersion),
            deep: try ContentLibrary.schema("deep-analysis", version: DeepAnalysis.schemaVersion),
            crisis: try ContentLibrary.schema("crisis-check", version: CrisisCheck.schemaVersion))
    }
}
