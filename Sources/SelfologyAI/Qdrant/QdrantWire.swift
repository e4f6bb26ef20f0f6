import SelfologyCore

/// Every Qdrant REST answer: `{"result": …, "status": "ok", "time": …}`.
struct QdrantEnvelope<Result: Decodable>: Decodable {
    let result: Result
    let status: String
}

struct QdrantCreateCollection: Encodable {
    struct Vectors: Encodable {
        let size: Int
        let distance: String
    }
    let vectors: Vectors
}

struct QdrantUpsert: Encodable {
    struct Point: Encodable {
        let id: String
        let vector: [Float]
        let payload: Payload
    }
    struct Payload: Encodable {
        let userID: String
        let profileSummary: String
        let createdAt: String
        let model: String

        enum CodingKeys: String, CodingKey {
            case model
            case userID = "user_id"
            case profileSummary = "profile_summary"
            case createdAt = "created_at"
        }
    }
    let points: [Point]
}

/// `POST /collections/{c}/points/query`: nearest points to `query` among those whose `model` matches, leaving out
/// one point by id.
struct QdrantQuery: Encodable {
    struct Filter: Encodable {
        struct Match: Encodable {
            let key: String
            let match: Value
        }
        struct Value: Encodable {
            let value: String
        }
        struct HasID: Encodable {
            let hasID: [String]

            enum CodingKeys: String, CodingKey { case hasID = "has_id" }
        }
        let must: [Match]
        let mustNot: [HasID]

        enum CodingKeys: String, CodingKey {
            case must
            case mustNot = "must_not"
        }
    }
    let query: [Float]
    let filter: Filter
    let limit: Int
    let withPayload: Bool

    enum CodingKeys: String, CodingKey {
        case query, filter, limit
        case withPayload = "with_payload"
    }
}

struct QdrantQueryResult: Decodable {
    struct ScoredPoint: Decodable {
        struct Payload: Decodable {
            let userID: String

            enum CodingKeys: String, CodingKey { case userID = "user_id" }
        }
        let score: Double
        let payload: Payload?
    }
    let points: [ScoredPoint]
}

struct QdrantDelete: Encodable {
    let points: [String]
}

/// For answers whose `result` is not read (`true`, an update status).
struct QdrantIgnored: Decodable {
    init(from decoder: any Decoder) throws {}
}
