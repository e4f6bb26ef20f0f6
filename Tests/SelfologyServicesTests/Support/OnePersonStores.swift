import Foundation
import SQLKit
import SelfologyCore

@testable import SelfologyServices

// One person's reads and writes, for tests that set up or look at a single person. The services read and write a
// batch's people at once; these call the same statements with one person.

extension GatewayStore {
    static func save(_ state: ChatState, of user: UserID, now: Date, in db: any SQLDatabase) async throws {
        try await save([user: state], now: now, in: db)
    }

    @discardableResult
    static func enqueue(_ messages: [OutgoingMessage], for user: UserID, now: Date, in db: any SQLDatabase)
        async throws -> [Queued]
    {
        try await enqueue(messages.map { Reply(user: user, message: $0, queuedAt: now) }, in: db)
    }
}

extension ProfileStore {
    struct Stored: Sendable {
        let profile: PersonalityProfile
        let version: Int
    }

    static func load(_ user: UserID, memo: ProfileMemo, context: HandlerContext) async throws -> Stored? {
        try await memo.load(user, from: .profileStorage, context: context).map {
            Stored(profile: $0.profile, version: $0.version)
        }
    }

    /// Saves one new version; returns it.
    static func save(_ profileJSON: String, user: UserID, expected: Int?, now: Date, in db: any SQLDatabase)
        async throws -> Int
    {
        let version = (expected ?? 0) + 1
        try await save([Write(user: user, json: profileJSON, version: version, expected: expected)], now: now, in: db)
        return version
    }
}

extension TraitHistoryStore {
    static func record(_ changes: [TraitChange], user: UserID, trigger: EventID, now: Date, in db: any SQLDatabase)
        async throws
    {
        try await record(changes.map { Point(user: user, change: $0, trigger: trigger, at: now) }, in: db)
    }

    static func recentValues(of traits: [TraitKey], user: UserID, limit: Int, in db: any SQLDatabase) async throws
        -> [TraitKey: [Double]]
    {
        try await recentValues(of: traits.map { (user, $0) }, limit: limit, in: db)[user] ?? [:]
    }

    static func announcements(of user: UserID, in db: any SQLDatabase) async throws -> [TraitKey: EvolutionPattern] {
        try await announcements(of: [user], in: db)[user] ?? [:]
    }

    static func announce(
        _ patterns: [(trait: TraitKey, pattern: EvolutionPattern)], user: UserID, in db: any SQLDatabase
    ) async throws {
        try await announce([user: Dictionary(patterns.map { ($0.trait, $0.pattern) }) { $1 }], in: db)
    }
}
