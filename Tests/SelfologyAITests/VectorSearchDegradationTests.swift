import AsyncHTTPClient
import Foundation
import Logging
import SelfologyApp
import SelfologyCore
import SelfologyResilience
import SelfologyServices
import Testing

@testable import SelfologyAI

/// Similar-profile search with Qdrant in front of the store: Qdrant answers while it is up; when it is down the
/// store answers (DB-only mode), and once its breaker is open Qdrant is not even asked.
@Suite("Vector search degrades to the store")
struct VectorSearchDegradationTests {
    @Test("Qdrant down → DB-only results; breaker open → no requests; Qdrant back → used again")
    func qdrantDownMeansDBOnly() async throws {
        let qdrant = FakeQdrant()
        try await qdrant.start()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("selfology-vectors-\(UUID())")
        let (database, close) = try await SelfologyRuntime.openStore(
            RuntimeConfiguration(dataPath: directory.appendingPathComponent("store.sqlite").path),
            logger: Logger(label: "test"))
        _ = try await Migrator.migrate(database)

        let clock = TestClock()
        let index = QdrantProfileIndex(configuration: .init(baseURL: qdrant.baseURL), httpClient: http)
        let guarded = GuardedVectorIndex(
            index, breaker: CircuitBreaker(now: { clock.now }), setUp: { try await index.ensureCollection() })
        let search = ProfileSearch(database: database, external: guarded, logger: Logger(label: "test"))

        func vector(_ user: String, _ summary: String) -> ProfileVector {
            ProfileVector(
                userID: UserID(rawValue: user), vector: HashedEmbedding.embed(summary), model: HashedEmbedding.model,
                summary: summary, createdAt: Date())
        }
        let me = vector("me", "openness high; extraversion low")
        let twin = vector("twin", "openness high; extraversion low; engaged with work")
        let stranger = vector("stranger", "openness low; neuroticism high")
        // The coach's copy knows everyone; Qdrant only the twin, so the answers tell where they came from.
        for item in [me, twin, stranger] {
            try await SQLVectorIndex(database: database, table: SQLVectorIndex.coach).upsert(item)
        }
        try await guarded.upsert(twin)

        #expect(await search.similar(to: me, limit: 5).map(\.userID.rawValue) == ["twin"])

        qdrant.failEveryRequest(with: .status(503))
        let degraded = await search.similar(to: me, limit: 5)
        #expect(degraded.map(\.userID.rawValue) == ["twin", "stranger"], "the store's own vectors, nearest first")
        for _ in 0..<4 { _ = await search.similar(to: me, limit: 5) }
        #expect(guarded.breaker.state == .open)
        let asked = qdrant.requests.count
        #expect(await search.similar(to: me, limit: 5).count == 2)
        #expect(qdrant.requests.count == asked, "an open breaker does not call Qdrant")

        qdrant.failEveryRequest(with: nil)
        clock.advance(.seconds(61))
        #expect(await search.similar(to: me, limit: 5).map(\.userID.rawValue) == ["twin"])

        try await close()
        try await http.shutdown()
        await qdrant.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
