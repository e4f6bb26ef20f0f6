import AsyncHTTPClient
import Foundation
import SelfologyCore
import SelfologyServices
import Testing

@testable import SelfologyAI

@Suite("Qdrant profile index")
struct QdrantProfileIndexTests {
    private static let collection = "user_profiles_512d"
    private static let model = "openai:text-embedding-3-small"

    private func makeIndex(_ fake: FakeQdrant, timeout: Duration = .seconds(2), key: String? = "qdrant-SECRET-key")
        -> QdrantProfileIndex
    {
        QdrantProfileIndex(
            configuration: .init(baseURL: fake.baseURL, apiKey: key.map(APIKey.init), timeout: timeout),
            httpClient: .shared)
    }

    /// A 512-long vector pointing mostly along `axis`, tilted towards axis 0 by `tilt`.
    private func vector(axis: Int, tilt: Float = 0) -> [Float] {
        var vector = [Float](repeating: 0, count: 512)
        vector[axis] = 1
        vector[0] += tilt
        return vector
    }

    private func profile(_ user: String, _ vector: [Float], model: String = Self.model) -> ProfileVector {
        ProfileVector(
            userID: UserID(rawValue: user), vector: vector, model: model, summary: "warm, curious",
            createdAt: Date(timeIntervalSince1970: 1_767_225_600))
    }

    @Test func ensureCollectionCreatesItOnceWithSizeAndCosine() async throws {
        try await withFake(FakeQdrant(apiKey: "qdrant-SECRET-key")) { fake in
            let index = makeIndex(fake)
            try await index.ensureCollection()
            try await index.ensureCollection()
            #expect(
                fake.requests.map { "\($0.method) \($0.path)" } == [
                    "GET /collections/\(Self.collection)", "PUT /collections/\(Self.collection)",
                    "GET /collections/\(Self.collection)",
                ])
            #expect(fake.requests[1].body == ["vectors": ["size": 512, "distance": "Cosine"]])
            #expect(fake.requests.allSatisfy { $0.header("api-key") == "qdrant-SECRET-key" })
        }
    }

    @Test func upsertWritesOnePointPerPersonUnderADerivedUUID() async throws {
        try await withFake(FakeQdrant()) { fake in
            fake.createCollection(Self.collection, size: 512)
            let index = makeIndex(fake, key: nil)
            try await index.upsert(profile("tg:42", vector(axis: 1)))
            try await index.upsert(profile("tg:42", vector(axis: 2)))
            let sent = try #require(fake.requests.first)
            #expect(sent.method == "PUT")
            #expect(sent.path == "/collections/\(Self.collection)/points?wait=true")
            #expect(sent.header("api-key") == nil)
            let point = try #require(sent.body?["points"]?[0])
            let id = try #require(point["id"]?.string)
            #expect(id == PointID.of(UserID(rawValue: "tg:42")))
            #expect(UUID(uuidString: id) != nil)
            #expect(
                point["payload"]
                    == [
                        "user_id": "tg:42", "profile_summary": "warm, curious", "created_at": "2026-01-01T00:00:00Z",
                        "model": .string(Self.model),
                    ])
            let stored = fake.points(in: Self.collection)
            #expect(stored.count == 1)
            #expect(stored[id]?.vector[2] == 1)
        }
    }

    @Test func nearestRanksByCosineAmongTheSameModelLeavingOutThePerson() async throws {
        try await withFake(FakeQdrant()) { fake in
            let index = makeIndex(fake)
            try await index.ensureCollection()
            try await index.upsert(profile("me", vector(axis: 0)))
            try await index.upsert(profile("close", vector(axis: 5, tilt: 2)))
            try await index.upsert(profile("closer", vector(axis: 6, tilt: 5)))
            try await index.upsert(profile("far", vector(axis: 7)))
            try await index.upsert(profile("other-model", vector(axis: 0), model: "local:hashed-ngrams-512"))

            let similar = try await index.nearest(
                to: vector(axis: 0), model: Self.model, limit: 2, excluding: UserID(rawValue: "me"))
            #expect(similar.map(\.userID.rawValue) == ["closer", "close"])
            #expect(abs(similar[0].score - Double(5 / Float(26).squareRoot())) < 1e-4)

            let all = try await index.nearest(
                to: vector(axis: 0), model: Self.model, limit: 10, excluding: UserID(rawValue: "me"))
            #expect(all.map(\.userID.rawValue) == ["closer", "close", "far"])

            let query = try #require(fake.requests.last)
            #expect(query.method == "POST")
            #expect(query.path == "/collections/\(Self.collection)/points/query")
            #expect(query.body?["limit"] == 10)
            #expect(query.body?["with_payload"] == true)
            #expect(
                query.body?["filter"]
                    == [
                        "must": [["key": "model", "match": ["value": .string(Self.model)]]],
                        "must_not": [["has_id": [.string(PointID.of(UserID(rawValue: "me")))]]],
                    ])
        }
    }

    @Test func removeDeletesThePersonsPoint() async throws {
        try await withFake(FakeQdrant()) { fake in
            let index = makeIndex(fake)
            try await index.ensureCollection()
            try await index.upsert(profile("leaving", vector(axis: 3)))
            try await index.upsert(profile("staying", vector(axis: 4)))
            try await index.remove(UserID(rawValue: "leaving"))
            let delete = try #require(fake.requests.last)
            #expect(delete.path == "/collections/\(Self.collection)/points/delete?wait=true")
            #expect(delete.body == ["points": [.string(PointID.of(UserID(rawValue: "leaving")))]])
            let left = try await index.nearest(
                to: vector(axis: 3), model: Self.model, limit: 5, excluding: UserID(rawValue: "nobody"))
            #expect(left.map(\.userID.rawValue) == ["staying"])
        }
    }

    @Test func failuresAreClassifiedWithoutPayloadOrKey() async throws {
        try await withFake(FakeQdrant(apiKey: "qdrant-SECRET-key")) { fake in
            // A short timeout only where a hang is expected: a loaded machine may take longer to connect.
            let index = makeIndex(fake)
            let missing = await thrownError { try await index.upsert(profile("a", vector(axis: 1))) }
            #expect(missing as? QdrantError == .status(404))

            fake.failEveryRequest(with: .status(503))
            let unavailable = await thrownError { try await index.ensureCollection() }
            #expect(unavailable as? QdrantError == .status(503))

            fake.failEveryRequest(with: .hang)
            let started = ContinuousClock.now
            let hung = await thrownError {
                try await makeIndex(fake, timeout: .milliseconds(300)).nearest(
                    to: vector(axis: 1), model: Self.model, limit: 3, excluding: UserID(rawValue: "a"))
            }
            #expect(hung as? QdrantError == .timedOut)
            #expect(ContinuousClock.now - started < .seconds(5), "the timeout ends the wait, the hang does not")

            let wrongKey = QdrantProfileIndex(
                configuration: .init(baseURL: fake.baseURL, apiKey: APIKey("wrong")), httpClient: .shared)
            fake.failEveryRequest(with: nil)
            let unauthorized = await thrownError { try await wrongKey.ensureCollection() }
            #expect(unauthorized as? QdrantError == .status(401))

            await fake.refuseConnections()
            let refused = await thrownError { try await makeIndex(fake, timeout: .seconds(1)).ensureCollection() }
            guard case .transport = refused as? QdrantError else {
                Issue.record("expected a transport failure, got \(String(describing: refused))")
                return
            }
            for error in [missing, unavailable, hung, unauthorized, refused].compactMap({ $0 }) {
                #expect(!"\(error)".contains("SECRET"))
                #expect(!"\(error)".contains("warm, curious"))
            }
        }
    }

    @Test func pointIDsAreVersion5UUIDs() throws {
        // RFC 9562's DNS namespace example, as Python's uuid.uuid5 computes it.
        let dns = try #require(UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8"))
        #expect(
            PointID.nameBased("python.org", in: dns).uuidString.lowercased() == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
        #expect(PointID.of(UserID(rawValue: "u1")) == PointID.of(UserID(rawValue: "u1")))
        #expect(PointID.of(UserID(rawValue: "u1")) != PointID.of(UserID(rawValue: "u2")))
    }

    @Test func sha1MatchesTheFIPSExamples() {
        func hex(_ text: String) -> String { SHA1.digest(Array(text.utf8)).map { String(format: "%02x", $0) }.joined() }
        #expect(hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }
}
