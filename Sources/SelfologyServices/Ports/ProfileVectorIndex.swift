import Foundation
import SelfologyCore

/// A profile's embedding, with what made it, so vectors from different models are never compared.
public struct ProfileVector: Sendable, Equatable {
    public let userID: UserID
    public let vector: [Float]
    /// `ModelID` text of the embedding model (`local:hashed-ngrams-512` offline).
    public let model: String
    /// The text summary the vector was made from (traits in words; nothing the person wrote).
    public let summary: String
    public let createdAt: Date

    public init(userID: UserID, vector: [Float], model: String, summary: String, createdAt: Date) {
        self.userID = userID
        self.vector = vector
        self.model = model
        self.summary = summary
        self.createdAt = createdAt
    }
}

public struct SimilarProfile: Sendable, Equatable {
    public let userID: UserID
    /// Cosine similarity, -1...1.
    public let score: Double

    public init(userID: UserID, score: Double) {
        self.userID = userID
        self.score = score
    }
}

/// Nearest-profile search by cosine similarity. The embedded runtime keeps vectors in the store; the distributed
/// one adds Qdrant in front of the store, which stays the source of truth.
public protocol ProfileVectorIndex: Sendable {
    /// Inserts or replaces the person's vector (one per person).
    func upsert(_ vector: ProfileVector) async throws
    /// Up to `limit` other people, most similar first, made by the same `model`.
    func nearest(to vector: [Float], model: String, limit: Int, excluding user: UserID) async throws
        -> [SimilarProfile]
    /// Forgets the person (consent withdrawn, data erased).
    func remove(_ user: UserID) async throws
}
