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

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        let user = event.userID
        let db = context.db
        switch event.type {
        case .traitExtracted:
            let stored = try await ProfileStore.load(user, memo: memo, context: context)
            let merge =
                try (context.prepared as? Merge).flatMap { $0.base == stored?.version ? $0 : nil }
                ?? Merge(
                    try event.decode(TraitExtracted.self), onto: stored.map { ($0.profile, $0.version) },
                    trigger: event.id)
            let version = try await ProfileStore.save(
                merge.profileJSON, user: user, expected: stored?.version, now: context.now, in: db)
            if let signature = merge.profile.signature {
                try await ProfileStore.saveSignature(signature, user: user, now: context.now, in: db)
            }
            context.emit(merge.update, for: user)
            let (memo, saved) = (self.memo, merge.profile)
            context.onCommit { memo.remember(saved, version: version, of: user) }

        case .traitEvolutionDetected:
            let detected = try event.decode(TraitEvolutionDetected.self)
            try await ProfileStore.savePattern(detected, user: user, now: context.now, in: db)

        case .profileRequested:
            let request = try event.decode(ProfileRequested.self)
            try await emitSnapshot(.requested, language: request.language, user: user, context: context)

        case .sessionCompleted:
            let completed = try event.decode(SessionCompleted.self).session
            try await emitSnapshot(.onboardingCompleted, language: completed.language, user: user, context: context)

        default:
            return
        }
    }

    private func emitSnapshot(
        _ reason: ProfileSnapshotReady.Reason, language: Language, user: UserID, context: HandlerContext
    ) async throws {
        let profile = try await ProfileStore.load(user, memo: memo, context: context)?.profile ?? PersonalityProfile()
        let patterns = try await ProfileStore.patterns(of: user, in: context.db)
        try context.emit(
            ProfileSnapshotReady(
                reason: reason, language: language, profile: profile, style: CoachingStyle.adapted(to: profile),
                patterns: patterns),
            for: user)
    }
}
