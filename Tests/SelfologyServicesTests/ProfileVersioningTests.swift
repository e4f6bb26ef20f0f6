import Foundation
import SelfologyCore
import SelfologyEmbedded
import Testing

@testable import SelfologyServices

@Suite("Profile storage versioning")
struct ProfileVersioningTests {
    @Test("a writer holding a stale version is refused, so no update is ever lost")
    func optimisticVersioning() async throws {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        let user = UserID("u")
        let now = Date()
        let openness = TraitEvidence(trait: .bigFive(.openness), value: 1, confidence: 1, source: .scaleItem)
        let neuroticism = TraitEvidence(trait: .bigFive(.neuroticism), value: 0, confidence: 1, source: .scaleItem)

        try await database.transaction { db in
            _ = try await ProfileStore.save(PersonalityProfile(), user: user, expected: nil, now: now, in: db)
        }
        // Two writers read version 1 at the same time.
        let first = try await database.read { db in try await ProfileStore.load(user, in: db) }
        let second = try await database.read { db in try await ProfileStore.load(user, in: db) }
        let a = try #require(first), b = try #require(second)
        let afterFirst = try await database.transaction { db in
            try await ProfileStore.save(
                ProfileMerge.merge([openness], into: a.profile).profile, user: user, expected: a.version, now: now,
                in: db)
        }
        #expect(afterFirst == 2)
        await #expect(throws: ProfileStore.Failure.self) {
            try await database.transaction { db in
                let merged = ProfileMerge.merge([neuroticism], into: b.profile).profile
                _ = try await ProfileStore.save(merged, user: user, expected: b.version, now: now, in: db)
            }
        }
        // The refused writer's event is redelivered and applies to the fresh row: both updates survive.
        let afterRetry = try await database.transaction { db in
            let fresh = try await ProfileStore.load(user, in: db)
            let merged = ProfileMerge.merge([neuroticism], into: fresh?.profile ?? PersonalityProfile()).profile
            return try await ProfileStore.save(merged, user: user, expected: fresh?.version, now: now, in: db)
        }
        #expect(afterRetry == 3)
        let final = try #require(try await database.read { db in try await ProfileStore.load(user, in: db) })
        #expect(final.profile.value(of: .openness) == 1 && final.profile.value(of: .neuroticism) == 0)
        #expect(final.version == 3)
        try await database.close()
    }
}
