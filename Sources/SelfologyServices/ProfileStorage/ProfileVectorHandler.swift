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

    /// The profile's summary is the one the stored vector was made from: nothing to embed.
    struct Unchanged: Sendable {
        let stored: ProfileVector
    }

    public func prepare(_ event: EventEnvelope, store: any Database) async throws -> (any Sendable)? {
        if event.type == .userErasureRequested {
            await removeFromMirror(event.userID)
            return nil
        }
        guard event.type == .profileUpdated else { return nil }
        let update = try event.decode(ProfileUpdated.self)
        let summary = ProfileSummary.text(of: update.profile)
        let (user, group, model) = (event.userID, self.group, intelligence.embeddingModel)
        let found = try await store.read { db in
            try await Self.storedVector(of: user, unlessForgottenSince: event.traceID, group: group, in: db)
        }
        // A person forgotten since this update began: nothing to embed nor to mirror (the runtime drops the update
        // itself, but only after this).
        guard case .vector(let stored) = found else { return nil }
        if let stored, stored.summary == summary, stored.model == model { return Unchanged(stored: stored) }
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

    /// The vector and what embedding it cost. The external index forgot it before, in `prepare`: in order with
    /// the person's earlier updates, which wrote to it there too.
    public var personalTables: [PersonalTable] {
        [PersonalTable(SQLVectorIndex.profileStorage), .modelUsage(of: .profileEmbedding)]
    }

    /// Best-effort, as the index's writes are: the coach finds no profile for a person the index still returns.
    private func removeFromMirror(_ user: UserID) async {
        guard let mirror else { return }
        do { try await mirror.remove(user) } catch {
            logger.warning("profile vector not removed from the index", metadata: ["error": "\(error)"])
        }
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        try await handle(batch: [(event, context)])
    }

    /// The batch's vectors are written in one statement. Its events were prepared before any of them was applied,
    /// each against the stored vector; a person's later event is judged here against what the earlier one wrote
    /// instead, as it would have been one transaction later: the same summary again writes nothing, and a summary
    /// found unchanged that an earlier event of the batch replaced is put back.
    public func handle(batch: [BatchItem]) async throws {
        guard let db = batch.first?.context.db else { return }
        var written: [UserID: ProfileVector] = [:]
        var usage: [(user: UserID, usage: ModelUsage)] = []
        for (event, context) in batch {
            let user = event.userID
            if let embedded = context.prepared as? Embedded {
                // The model was called: its use counts even when the batch makes the vector redundant.
                usage += embedded.usage.map { (user, $0) }
                if let last = written[user], last.madeFromSameText(as: embedded.vector) { continue }
                written[user] = embedded.vector
                context.emit(embedded.announced, for: user)
            } else if let unchanged = context.prepared as? Unchanged, let last = written[user],
                !last.madeFromSameText(as: unchanged.stored)
            {
                let stored = unchanged.stored
                let vector = ProfileVector(
                    userID: user, vector: stored.vector, model: stored.model, summary: stored.summary,
                    createdAt: event.occurredAt)
                written[user] = vector
                try context.emit(
                    ProfileVectorUpdated(model: vector.model, summary: vector.summary, vector: vector.vector), for: user
                )
                // The mirror was given the earlier event's vector before the transaction; it gets this one back
                // once the transaction holds, best-effort as always.
                if let mirror {
                    context.onCommit { Task { try? await mirror.upsert(vector) } }
                }
            }
        }
        try await SQLVectorIndex.upsert(Array(written.values), into: SQLVectorIndex.profileStorage, in: db)
        try await UsageStore.record(usage, now: batch[0].context.now, in: db)
    }
}

extension ProfileVector {
    /// Whether both vectors embed the same summary with the same model.
    func madeFromSameText(as other: ProfileVector) -> Bool { summary == other.summary && model == other.model }
}
