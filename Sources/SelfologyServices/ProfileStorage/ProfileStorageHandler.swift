import Foundation
import SelfologyCore

/// Service 4: keeps the multi-layer profile. Merges trait evidence (confidence-weighted, versioned), records
/// evolution patterns, and answers profile requests with a snapshot.
public struct ProfileStorageHandler: EventHandler {
    public let group = ConsumerGroup.profileStorage
    let memo: ProfileMemo

    public init(memo: ProfileMemo = ProfileMemo()) { self.memo = memo }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        let user = event.userID
        let db = context.db
        switch event.type {
        case .traitExtracted:
            let extracted = try event.decode(TraitExtracted.self)
            let stored = try await ProfileStore.load(user, memo: memo, context: context)
            var (profile, changes) = ProfileMerge.merge(
                extracted.evidence, into: stored?.profile ?? PersonalityProfile())
            profile.answersAnalyzed += 1
            let version = try await ProfileStore.save(
                profile, user: user, expected: stored?.version, now: context.now, in: db)
            if let signature = profile.signature {
                try await ProfileStore.saveSignature(signature, user: user, now: context.now, in: db)
            }
            try context.emit(
                ProfileUpdated(version: version, changes: changes, profile: profile, trigger: event.id), for: user)
            let (memo, saved) = (self.memo, profile)
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
