import Foundation
import SQLKit
import SelfologyCore
import SelfologyEmbedded
import Testing

@testable import SelfologyServices

@Suite("Profile storage versioning")
struct ProfileVersioningTests {
    @Test("a writer holding a stale version is refused, so no update is ever lost")
    func optimisticVersioning() async throws {
        let database = try await Self.migratedStore()
        let user = UserID("u")
        let now = Date()
        let openness = TraitEvidence(trait: .bigFive(.openness), value: 1, confidence: 1, source: .scaleItem)
        let neuroticism = TraitEvidence(trait: .bigFive(.neuroticism), value: 0, confidence: 1, source: .scaleItem)
        // No memo between the writers: each reads the row itself, as two processes would.
        @Sendable func load(_ db: any SQLDatabase) async throws -> ProfileStore.Stored? {
            try await ProfileStore.load(user, memo: ProfileMemo(), context: Self.context(db))
        }

        try await database.transaction { db in
            _ = try await Self.save(PersonalityProfile(), user: user, expected: nil, now: now, in: db)
        }
        // Two writers read version 1 at the same time.
        let first = try await database.read { db in try await load(db) }
        let second = try await database.read { db in try await load(db) }
        let a = try #require(first), b = try #require(second)
        let afterFirst = try await database.transaction { db in
            try await Self.save(
                ProfileMerge.merge([openness], into: a.profile).profile, user: user, expected: a.version, now: now,
                in: db)
        }
        #expect(afterFirst == 2)
        await #expect(throws: ProfileStore.Failure.self) {
            try await database.transaction { db in
                let merged = ProfileMerge.merge([neuroticism], into: b.profile).profile
                _ = try await Self.save(merged, user: user, expected: b.version, now: now, in: db)
            }
        }
        // The refused writer's event is redelivered and applies to the fresh row: both updates survive.
        let afterRetry = try await database.transaction { db in
            let fresh = try await load(db)
            let merged = ProfileMerge.merge([neuroticism], into: fresh?.profile ?? PersonalityProfile()).profile
            return try await Self.save(merged, user: user, expected: fresh?.version, now: now, in: db)
        }
        #expect(afterRetry == 3)
        let final = try #require(try await database.read { db in try await load(db) })
        #expect(final.profile.value(of: .openness) == 1 && final.profile.value(of: .neuroticism) == 0)
        #expect(final.version == 3)
        try await database.close()
    }

    static func migratedStore() async throws -> SQLiteDatabase {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        return database
    }

    static func save(
        _ profile: PersonalityProfile, user: UserID, expected: Int?, now: Date, in db: any SQLDatabase
    ) async throws -> Int {
        try await ProfileStore.save(
            try EventCoding.encodeToString(profile), user: user, expected: expected, now: now, in: db)
    }

    static let factory = EventFactory.forTests

    static func context(_ db: any SQLDatabase) -> HandlerContext {
        HandlerContext(db: db, now: Date(), cause: nil, factory: factory)
    }

    /// Runs `body` the way services do, so work registered for after the commit runs only if it committed.
    static func committed<T: Sendable>(
        _ database: any Database, _ body: @escaping @Sendable (HandlerContext) async throws -> T
    ) async throws -> T {
        try await OutboxTransaction(database: database, factory: factory, outboxSignal: WakeSignal()).run(body)
    }

    @Test("the profile memo answers unchanged versions from memory and never returns a replaced one")
    func memo() async throws {
        let database = try await Self.migratedStore()
        let user = UserID("m")
        let memo = ProfileMemo()
        var first = PersonalityProfile()
        first.answersAnalyzed = 1
        let saved = first
        try await database.transaction { db in
            _ = try await Self.save(saved, user: user, expected: nil, now: Date(), in: db)
        }
        let read = try await Self.committed(database) { try await ProfileStore.load(user, memo: memo, context: $0) }
        #expect(read?.profile.answersAnalyzed == 1)
        #expect(memo.counts.hits == 0)
        let again = try await Self.committed(database) { try await ProfileStore.load(user, memo: memo, context: $0) }
        #expect(again?.profile.answersAnalyzed == 1)
        #expect(memo.counts.hits == 1)

        // Another process saves version 2: the memo's version 1 must not be served.
        var second = first
        second.answersAnalyzed = 2
        let newer = second
        try await database.transaction { db in
            _ = try await Self.save(newer, user: user, expected: 1, now: Date(), in: db)
        }
        let fresh = try await Self.committed(database) { try await ProfileStore.load(user, memo: memo, context: $0) }
        #expect(fresh?.version == 2 && fresh?.profile.answersAnalyzed == 2)

        // An older version offered late never replaces the newer one.
        memo.remember(first, version: 1, of: user)
        let stillNew = try await Self.committed(database) { try await ProfileStore.load(user, memo: memo, context: $0) }
        #expect(stillNew?.profile.answersAnalyzed == 2)
        #expect(memo.counts.hits == 2)
        try await database.close()
    }

    @Test("a merge prepared on a version another process replaced is merged again onto the stored one")
    func stalePreparedMerge() async throws {
        let database = try await Self.migratedStore()
        let user = UserID("s")
        let memo = ProfileMemo()
        let handler = ProfileStorageHandler(memo: memo)
        var first = PersonalityProfile()
        first.answersAnalyzed = 1
        let (remembered, now) = (first, Date())
        try await database.transaction { db in
            _ = try await Self.save(remembered, user: user, expected: nil, now: now, in: db)
        }
        memo.remember(first, version: 1, of: user)
        // Another process stores version 2; this process still remembers version 1.
        let neuroticism = TraitEvidence(trait: .bigFive(.neuroticism), value: 0.2, confidence: 1, source: .scaleItem)
        var second = ProfileMerge.merge([neuroticism], into: first).profile
        second.answersAnalyzed = 2
        let replaced = second
        try await database.transaction { db in
            _ = try await Self.save(replaced, user: user, expected: 1, now: now, in: db)
        }

        let openness = TraitEvidence(trait: .bigFive(.openness), value: 0.9, confidence: 1, source: .scaleItem)
        let event = try Self.factory.make(
            TraitExtracted(sessionID: SessionID("s1"), questionID: QuestionID("q1"), evidence: [openness]), for: user)
        let prepared = try await handler.prepare(event, store: database)
        #expect((prepared as? ProfileStorageHandler.Merge)?.base == 1)
        let emitted = try await database.transaction { db in
            let context = HandlerContext(db: db, now: now, cause: event, prepared: prepared, factory: Self.factory)
            try await handler.handle(event, context: context)
            return context.emitted
        }

        let update = try #require(emitted.first).decode(ProfileUpdated.self)
        #expect(update.version == 3)
        #expect(update.profile.answersAnalyzed == 3)
        #expect(update.profile.value(of: .neuroticism) == 0.2, "the other process's update must survive")
        #expect(update.profile.value(of: .openness) == 0.9)
        let stored = try await Self.committed(database) {
            try await ProfileStore.load(user, memo: ProfileMemo(), context: $0)
        }
        #expect(stored?.version == 3 && stored?.profile == update.profile)
        try await database.close()
    }

    @Test("a read inside a transaction that rolls back is not remembered")
    func memoAfterRollback() async throws {
        let database = try await Self.migratedStore()
        let user = UserID("r")
        let memo = ProfileMemo()
        try await database.transaction { db in
            _ = try await Self.save(PersonalityProfile(), user: user, expected: nil, now: Date(), in: db)
        }
        struct Abandon: Error {}
        await #expect(throws: Abandon.self) {
            try await Self.committed(database) { context in
                _ = try await ProfileStore.load(user, memo: memo, context: context)
                throw Abandon()
            }
        }
        _ = try await Self.committed(database) { try await ProfileStore.load(user, memo: memo, context: $0) }
        #expect(memo.counts.hits == 0)
        #expect(memo.counts.misses == 2)
        try await database.close()
    }
}
