import Foundation
import SelfologyCore

/// Service 4: keeps the multi-layer profile. Merges trait evidence (confidence-weighted, versioned), records
/// evolution patterns, and answers profile requests with a snapshot.
///
/// A merge and its encoding (the profile twice: the row and the event) are most of this service's work. They are
/// done in `prepare`, before the transaction, on the profile version remembered in memory; the transaction uses
/// that work only if the stored version is still the one merged onto, and merges again otherwise.
public struct ProfileStorageHandler: EventHandler {
    public let group = ConsumerGroup.profileStorage
    public let preparesOutsideTransaction = true
    let memo: ProfileMemo

    public init(memo: ProfileMemo = ProfileMemo()) { self.memo = memo }

    /// A profile merged with one event's evidence, ready to be saved and announced.
    struct Merge: Sendable {
        /// The version merged onto (nil: the person had no profile).
        let base: Int?
        let profile: PersonalityProfile
        let profileJSON: String
        let update: EncodedPayload<ProfileUpdated>

        init(_ extracted: TraitExtracted, onto stored: (profile: PersonalityProfile, version: Int)?, trigger: EventID)
            throws
        {
            var (profile, changes) = ProfileMerge.merge(
                extracted.evidence, into: stored?.profile ?? PersonalityProfile())
            profile.answersAnalyzed += 1
            base = stored?.version
            self.profile = profile
            profileJSON = try EventCoding.encodeToString(profile)
            update = try EncodedPayload(
                ProfileUpdated(version: (base ?? 0) + 1, changes: changes, profile: profile, trigger: trigger))
        }
    }

    public func prepare(_ event: EventEnvelope, store: any Database) async throws -> (any Sendable)? {
        guard event.type == .traitExtracted, let remembered = memo.latest(of: event.userID) else { return nil }
        return try Merge(try event.decode(TraitExtracted.self), onto: remembered, trigger: event.id)
    }

    public var personalTables: [PersonalTable] {
        [
            PersonalTable("personality_profiles", jsonColumns: ["profile_data"]), PersonalTable("unique_signatures"),
            PersonalTable("profile_patterns"),
        ]
    }

    public func forget(_ user: UserID, context: HandlerContext) async throws {
        try await PersonalRows.delete(user, from: personalTables, in: context.db)
        context.onCommit { [memo] in memo.forget(user) }
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        try await handle(batch: [(event, context)])
    }

    /// The batch's people's profiles are read at once (their versions, then the documents not in memory), merged
    /// in memory event by event, and written at once, with their signatures: a handful of statements per batch
    /// instead of four per answer. A person's later event in the batch (a second merge, a snapshot) sees the
    /// profile the earlier one left.
    public func handle(batch: [BatchItem]) async throws {
        guard let first = batch.first?.context else { return }
        let db = first.db
        let loaded = try await memo.load(
            Set(batch.filter { Self.readsProfile($0.event.type) }.map(\.event.userID)), from: .profileStorage,
            context: first)
        var profiles = loaded
        var writes: [UserID: ProfileStore.Write] = [:]
        var signatures: [UserID: UniqueSignature] = [:]
        for (event, context) in batch {
            let user = event.userID
            switch event.type {
            case .traitExtracted:
                let stored = profiles[user]
                let merge =
                    try (context.prepared as? Merge).flatMap { $0.base == stored?.version ? $0 : nil }
                    ?? Merge(try event.decode(TraitExtracted.self), onto: stored, trigger: event.id)
                let version = (stored?.version ?? 0) + 1
                profiles[user] = (merge.profile, version)
                writes[user] = ProfileStore.Write(
                    user: user, json: merge.profileJSON, version: version, expected: loaded[user]?.version)
                if let signature = merge.profile.signature { signatures[user] = signature }
                context.emit(merge.update, for: user)

            case .traitEvolutionDetected:
                let detected = try event.decode(TraitEvolutionDetected.self)
                try await ProfileStore.savePattern(detected, user: user, now: context.now, in: db)

            case .profileRequested:
                let request = try event.decode(ProfileRequested.self)
                try await emitSnapshot(
                    .requested, of: profiles[user]?.profile, language: request.language, user: user, context: context)

            case .sessionCompleted:
                let completed = try event.decode(SessionCompleted.self).session
                try await emitSnapshot(
                    .onboardingCompleted, of: profiles[user]?.profile, language: completed.language, user: user,
                    context: context)

            default:
                continue
            }
        }
        try await ProfileStore.save(
            writes.values.sorted { $0.user.rawValue < $1.user.rawValue }, now: first.now, in: db)
        try await ProfileStore.saveSignatures(signatures, now: first.now, in: db)
        let memo = self.memo
        let saved = writes.keys.compactMap { user in profiles[user].map { (user, $0) } }
        first.onCommit { for (user, entry) in saved { memo.remember(entry.profile, version: entry.version, of: user) } }
    }

    private static func readsProfile(_ type: EventType) -> Bool {
        type == .traitExtracted || type == .profileRequested || type == .sessionCompleted
    }

    private func emitSnapshot(
        _ reason: ProfileSnapshotReady.Reason, of stored: PersonalityProfile?, language: Language, user: UserID,
        context: HandlerContext
    ) async throws {
        let profile = stored ?? PersonalityProfile()
        let patterns = try await ProfileStore.patterns(of: user, in: context.db)
        try context.emit(
            ProfileSnapshotReady(
                reason: reason, language: language, profile: profile, style: CoachingStyle.adapted(to: profile),
                patterns: patterns),
            for: user)
    }
}
