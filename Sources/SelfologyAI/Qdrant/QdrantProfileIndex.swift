import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import SelfologyCore
import SelfologyServices

/// Profile vectors in a Qdrant collection over its REST API: one point per person (id derived from the user id),
/// payload `{user_id, profile_summary, created_at, model}`, cosine distance. The store stays the source of truth;
/// callers treat a failing index as absent.
public struct QdrantProfileIndex: ProfileVectorIndex {
    public struct Configuration: Sendable {
        public var baseURL: String
        /// Sent as the `api-key` header when present.
        public var apiKey: APIKey?
        public var collection: String
        public var vectorSize: Int
        /// The deadline of each call, body included.
        public var timeout: Duration
        public var maximumResponseBytes: Int

        public init(
            baseURL: String = "http://localhost:6333", apiKey: APIKey? = nil, collection: String = "user_profiles_512d",
            vectorSize: Int = 512, timeout: Duration = .seconds(2), maximumResponseBytes: Int = 4 << 20
        ) {
            self.baseURL = baseURL
            self.apiKey = apiKey
            self.collection = collection
            self.vectorSize = vectorSize
            self.timeout = timeout
            self.maximumResponseBytes = maximumResponseBytes
        }
    }

    private let configuration: Configuration
    private let client: HTTPClient
    private let logger: Logger

    public init(
        configuration: Configuration = Configuration(), httpClient: HTTPClient,
        logger: Logger = Logger(label: "selfology.ai.qdrant")
    ) {
        self.configuration = configuration
        self.client = httpClient
        self.logger = logger
    }

    /// Creates the collection (size `vectorSize`, Cosine) unless it exists.
    public func ensureCollection() async throws {
        let path = "/collections/\(collectionPath)"
        do {
            let _: QdrantIgnored = try await call(.GET, path)
        } catch QdrantError.status(404) {
            let body = QdrantCreateCollection(vectors: .init(size: configuration.vectorSize, distance: "Cosine"))
            let _: QdrantIgnored = try await call(.PUT, path, body: body)
        }
    }

    public func upsert(_ vector: ProfileVector) async throws {
        let point = QdrantUpsert.Point(
            id: PointID.of(vector.userID), vector: vector.vector,
            payload: .init(
                userID: vector.userID.rawValue, profileSummary: vector.summary,
                createdAt: vector.createdAt.formatted(.iso8601), model: vector.model))
        let _: QdrantIgnored = try await call(
            .PUT, "/collections/\(collectionPath)/points?wait=true", body: QdrantUpsert(points: [point]))
    }

    public func nearest(
        to vector: [Float], model: String, limit: Int, excluding user: UserID
    ) async throws -> [SimilarProfile] {
        let query = QdrantQuery(
            query: vector,
            filter: .init(
                must: [.init(key: "model", match: .init(value: model))], mustNot: [.init(hasID: [PointID.of(user)])]),
            limit: limit, withPayload: true)
        let result: QdrantQueryResult = try await call(
            .POST, "/collections/\(collectionPath)/points/query", body: query)
        return try result.points.map { point in
            guard let userID = point.payload?.userID else { throw QdrantError.malformed("point without user_id") }
            return SimilarProfile(userID: UserID(rawValue: userID), score: point.score)
        }
    }

    public func remove(_ user: UserID) async throws {
        let _: QdrantIgnored = try await call(
            .POST, "/collections/\(collectionPath)/points/delete?wait=true",
            body: QdrantDelete(points: [PointID.of(user)]))
    }

    private var collectionPath: String {
        configuration.collection.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"]))
            ?? configuration.collection
    }

    private func call<Result: Decodable & Sendable>(
        _ method: HTTPMethod, _ path: String, body: (any Encodable & Sendable)? = nil
    ) async throws -> Result {
        var request = HTTPClientRequest(url: url(path))
        request.method = method
        if let key = configuration.apiKey { request.headers.add(name: "api-key", value: key.secret) }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            guard let encoded = try? JSONEncoder().encodeAsByteBuffer(body, allocator: ByteBufferAllocator()) else {
                throw QdrantError.malformed("the request could not be encoded")
            }
            request.body = .bytes(encoded)
        }
        do {
            return try await withDeadline { [request] in try await exchange(request) }
        } catch {
            logger.debug("Qdrant call failed", metadata: ["qdrant.path": "\(path)", "qdrant.error": "\(error)"])
            throw error
        }
    }

    private func exchange<Result: Decodable & Sendable>(_ request: HTTPClientRequest) async throws -> Result {
        let payload: ByteBuffer
        do {
            let response = try await client.execute(
                request, timeout: TimeAmount(configuration.timeout), logger: ProviderHTTP.silent)
            guard (200..<300).contains(Int(response.status.code)) else {
                throw QdrantError.status(Int(response.status.code))
            }
            payload = try await response.body.collect(upTo: configuration.maximumResponseBytes)
        } catch let error as QdrantError {
            throw error
        } catch is NIOTooManyBytesError {
            throw QdrantError.malformed("answer over \(configuration.maximumResponseBytes) bytes")
        } catch {
            // Kept as ModelCallError until `withDeadline`, which tells a refused connection from a timeout by it.
            throw ProviderFailure.classify(error, redactingWith: configuration.apiKey)
        }
        do {
            let envelope = try JSONDecoder().decode(QdrantEnvelope<Result>.self, from: payload)
            guard envelope.status == "ok" else { throw QdrantError.malformed("status is not ok") }
            return envelope.result
        } catch let error as QdrantError {
            throw error
        } catch {
            throw QdrantError.malformed(DecodingSummary.of(error))
        }
    }

    /// The call's timeout covers the body too (AsyncHTTPClient's own deadline stops at the response head).
    private func withDeadline<Result: Sendable>(_ work: @escaping @Sendable () async throws -> Result) async throws
        -> Result
    {
        do {
            return try await CallDeadline.run(configuration.timeout, work)
        } catch ModelCallError.timedOut {
            throw QdrantError.timedOut
        } catch ModelCallError.transport(let reason) {
            throw QdrantError.transport(reason)
        }
    }

    private func url(_ path: String) -> String {
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }
}
