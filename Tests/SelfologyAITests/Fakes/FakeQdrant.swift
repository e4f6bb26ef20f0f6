import Foundation
import Hummingbird
import NIOCore
import SelfologyTestSupport
import Synchronization

/// A stand-in for Qdrant's REST API on 127.0.0.1, keeping collections and points in memory: get/create collection,
/// upsert points (ids must be UUIDs or unsigned integers, vectors the collection's size), `points/query` with real
/// cosine scores and `filter` (`must`/`must_not` of `{key, match: {value}}` and `{has_id: […]}`), and
/// `points/delete`. Answers in the `{"result", "status": "ok", "time"}` envelope, errors as
/// `{"status": {"error": …}, "time"}`. Requires `api-key` when created with one.
///
/// To test degradation: `failEveryRequest(with: 503)` (or `.hang`), `failEveryRequest(with: nil)` to heal, and
/// `refuseConnections()` to stop listening for good.
final class FakeQdrant: Sendable, StartableFake {
    struct Point: Sendable {
        let id: String
        let vector: [Double]
        let payload: FakeJSON
    }

    enum Failure: Sendable {
        case status(Int)
        case hang
    }

    private struct Collection {
        let size: Int
        let distance: String
        var points: [String: Point] = [:]
    }

    private struct State {
        var collections: [String: Collection] = [:]
        var failure: Failure?
        var operations = 0
    }

    private let state = Mutex(State())
    private let server = FakeServer()
    private let apiKey: String?

    init(apiKey: String? = nil) {
        self.apiKey = apiKey
    }

    func start() async throws { try await server.start { await self.handle($0) } }
    func stop() async { await server.stop() }

    var baseURL: String { "http://127.0.0.1:\(server.port)" }
    var requests: [RecordedRequest] { server.requests }

    func points(in collection: String) -> [String: Point] {
        state.withLock { $0.collections[collection]?.points ?? [:] }
    }

    /// Creates a collection directly, as if it had been there before the test.
    func createCollection(_ name: String, size: Int) {
        state.withLock { $0.collections[name] = Collection(size: size, distance: "Cosine") }
    }

    func failEveryRequest(with failure: Failure?) {
        state.withLock { $0.failure = failure }
    }

    func refuseConnections() async {
        await server.stop()
    }

    private func handle(_ request: RecordedRequest) async -> Response {
        if let apiKey, request.header("api-key") != apiKey {
            return Self.failure(401, "Must provide an API key or an Authorization bearer token")
        }
        switch state.withLock({ $0.failure }) {
        case .status(let status): return Self.failure(status, "Service Unavailable")
        case .hang:
            await server.waitUntilStopped()
            return Self.failure(503, "stopped")
        case nil: break
        }
        let path = request.path.split(separator: "?").first.map(String.init) ?? request.path
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0] == "collections" else { return Self.failure(404, "Not found") }
        let name = parts[1].removingPercentEncoding ?? parts[1]
        switch (request.method, Array(parts.dropFirst(2))) {
        case ("GET", []): return getCollection(name)
        case ("PUT", []): return createCollection(name, request.body)
        case ("PUT", ["points"]): return upsert(name, request.body)
        case ("POST", ["points", "query"]): return query(name, request.body)
        case ("POST", ["points", "delete"]): return delete(name, request.body)
        default: return Self.failure(404, "Not found")
        }
    }

    private func getCollection(_ name: String) -> Response {
        guard let collection = state.withLock({ $0.collections[name] }) else { return Self.missing(name) }
        return Self.ok([
            "status": "green", "optimizer_status": "ok", "points_count": .int(Int64(collection.points.count)),
            "config": [
                "params": ["vectors": ["size": .int(Int64(collection.size)), "distance": .string(collection.distance)]]
            ],
        ])
    }

    private func createCollection(_ name: String, _ body: FakeJSON?) -> Response {
        guard let size = body?["vectors"]?["size"]?.int, size > 0,
            let distance = body?["vectors"]?["distance"]?.string
        else { return Self.failure(422, "Format error in JSON body: missing field `vectors`") }
        let created = state.withLock { state -> Bool in
            guard state.collections[name] == nil else { return false }
            state.collections[name] = Collection(size: Int(size), distance: distance)
            return true
        }
        return created ? Self.ok(true) : Self.failure(409, "Wrong input: Collection `\(name)` already exists!")
    }

    private func upsert(_ name: String, _ body: FakeJSON?) -> Response {
        guard let items = body?["points"]?.array else { return Self.failure(422, "missing field `points`") }
        var points: [Point] = []
        for item in items {
            guard let id = Self.pointID(item["id"]) else {
                return Self.failure(400, "Unable to parse UUID or unsigned integer")
            }
            let vector = item["vector"]?.array?.compactMap(\.number) ?? []
            points.append(Point(id: id, vector: vector, payload: item["payload"] ?? [:]))
        }
        let outcome = state.withLock { state -> Response? in
            guard var collection = state.collections[name] else { return Self.missing(name) }
            if let wrong = points.first(where: { $0.vector.count != collection.size }) {
                return Self.failure(
                    400,
                    "Wrong input: Vector dimension error: expected dim: \(collection.size), got \(wrong.vector.count)")
            }
            for point in points { collection.points[point.id] = point }
            state.collections[name] = collection
            state.operations += 1
            return nil
        }
        return outcome ?? updated()
    }

    private func query(_ name: String, _ body: FakeJSON?) -> Response {
        guard let query = body?["query"]?.array?.compactMap(\.number), !query.isEmpty else {
            return Self.failure(422, "missing field `query`")
        }
        guard let collection = state.withLock({ $0.collections[name] }) else { return Self.missing(name) }
        guard query.count == collection.size else { return Self.failure(400, "Wrong input: Vector dimension error") }
        let limit = Int(body?["limit"]?.int ?? 10)
        let withPayload = body?["with_payload"]?.bool ?? false
        let scored = collection.points.values
            .filter { Self.matches($0, body?["filter"]) }
            .map { (point: $0, score: Self.cosine(query, $0.vector)) }
            .sorted { $0.score > $1.score }
            .prefix(limit)
        let points: [FakeJSON] = scored.map { entry in
            [
                "id": .string(entry.point.id), "version": 1, "score": .double(entry.score),
                "payload": withPayload ? entry.point.payload : nil,
            ]
        }
        return Self.ok(["points": .array(points)])
    }

    private func delete(_ name: String, _ body: FakeJSON?) -> Response {
        let ids = body?["points"]?.array?.compactMap(Self.pointID) ?? []
        let found = state.withLock { state -> Bool in
            guard state.collections[name] != nil else { return false }
            for id in ids { state.collections[name]?.points[id] = nil }
            state.operations += 1
            return true
        }
        return found ? updated() : Self.missing(name)
    }

    private func updated() -> Response {
        Self.ok(["operation_id": .int(Int64(state.withLock { $0.operations })), "status": "completed"])
    }

    /// A UUID (normalised to lower case) or an unsigned integer, as Qdrant accepts.
    private static func pointID(_ value: FakeJSON?) -> String? {
        switch value {
        case .string(let text): UUID(uuidString: text).map { $0.uuidString.lowercased() }
        case .int(let number) where number >= 0: String(number)
        default: nil
        }
    }

    private static func matches(_ point: Point, _ filter: FakeJSON?) -> Bool {
        let must = filter?["must"]?.array ?? []
        let mustNot = filter?["must_not"]?.array ?? []
        return must.allSatisfy { holds($0, point) } && !mustNot.contains { holds($0, point) }
    }

    private static func holds(_ condition: FakeJSON, _ point: Point) -> Bool {
        if let ids = condition["has_id"]?.array { return ids.compactMap(pointID).contains(point.id) }
        guard let key = condition["key"]?.string, let value = condition["match"]?["value"] else { return false }
        return point.payload[key] == value
    }

    private static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        let norms = a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norms == 0 ? 0 : dot / norms
    }

    private static func ok(_ result: FakeJSON) -> Response {
        FakeServer.json(200, ["result": result, "status": "ok", "time": 0.000_21])
    }

    private static func missing(_ name: String) -> Response {
        failure(404, "Not found: Collection `\(name)` doesn't exist!")
    }

    private static func failure(_ status: Int, _ message: String) -> Response {
        FakeServer.json(status, ["status": ["error": .string(message)], "time": 0.000_05])
    }
}
