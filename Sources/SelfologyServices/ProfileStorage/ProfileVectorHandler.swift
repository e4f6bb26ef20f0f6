import Foundation
import Logging
import SelfologyCore

/// Service 4's vector side: embeds the profile's text summary when it changes, keeps the vector in
/// `profile_vectors` (the source of truth), tells the coach through `profile.vector.updated`, and mirrors it to
/// an external index (Qdrant) when one is configured. The summary names levels, not scores, so most answers change
/// nothing and cost no embedding.
public struct ProfileVectorHandler: EventHandler {
    public let group = ConsumerGroup.profileVectors
    public let preparesOutsideTransaction = true
    let intelligence: any Intelligence
    /// Written best-effort before the transaction: an index that is down must not hold back the store, and the
    /// next change of the profile writes it again.
    let mirror: (any ProfileVectorIndex)?
    let logger: Logger

    public init(intelligence: any Intelligence, mirror: (any ProfileVectorIndex)?, logger: Logger) {
        self.intelligence = intelligence
        self.mirror = mirror
        self.logger = logger
    }

    /// The new vector and the event announcing it, encoded before the transaction (the vector's 2 KB of base64
    /// were the largest payload any transaction encoded).
    struct Embedded: Sendable {
        let vector: ProfileVector
        let usage: [ModelUsage]
        let announced: EncodedPayload<ProfileVectorUpdated>
    }

    public func prepare(_ event: EventEnvelope, store: any Database) async throws -> (any Sendable)? {
        guard event.type == .profileUpdated else { return nil }
        let update = try event.decode(ProfileUpdated.self)
        let summary = ProfileSummary.text(of: update.profile)
        let user = event.userID
        let stored = try await store.read { db in
            try await SQLVectorIndex.vector(of: user, in: SQLVectorIndex.profileStorage, db: db)
        }
        if let stored, stored.summary == summary, stored.model == intelligence.embeddingModel { return nil }
        let judged = await intelligence.profileEmbedding(of: summary, user: user)
        let vector = ProfileVector(
            userID: user, vector: judged.value, model: judged.model, summary: summary, createdAt: event.occurredAt)
        if let mirror {
            do { try await mirror.upsert(vector) } catch {
                logger.warning("profile vector not mirrored", metadata: ["user_id": "\(user)", "error": "\(error)"])
            }
        }
        return Embedded(
            vector: vector, usage: judged.usage,
            announced: try EncodedPayload(
                ProfileVectorUpdated(model: vector.model, summary: vector.summary, vector: vector.vector)))
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        guard let embedded = context.prepared as? Embedded else { return }
        let vector = embedded.vector
        try await SQLVectorIndex.upsert(vector, into: SQLVectorIndex.profileStorage, in: context.db)
        try await UsageStore.record(embedded.usage, user: event.userID, now: context.now, in: context.db)
        context.emit(embedded.announced, for: event.userID)
    }
}
