import SQLKit
import SelfologyCore
import Synchronization

/// Decoded profiles kept in a service's memory by (person, version): the profile cache of the seed (1 hour).
///
/// Reading a profile whose version has not changed then costs one narrow `SELECT version` instead of fetching
/// and decoding the JSON document, the costliest step of a profile read. The version is what invalidates: a
/// `profile.updated` (or this service's own save) raises the stored version, so a stale entry is never returned,
/// whichever process wrote the change. Entries are only added after their transaction committed, so a rolled
/// back version cannot be remembered. Why in process memory rather than Redis: a Redis copy would cost the same
/// round trip and the same JSON decode as the row it saves, and could serve a stale profile if an invalidation
/// were lost while Redis was unreachable.
public final class ProfileMemo: Sendable {
    private struct Entry {
        let version: Int
        let profile: PersonalityProfile
        let rememberedAt: ContinuousClock.Instant
    }

    private struct State {
        var entries: [UserID: Entry] = [:]
        var hits = 0
        var misses = 0
    }

    private let state = Mutex(State())
    let timeToLive: Duration
    let capacity: Int

    public init(timeToLive: Duration = .seconds(3600), capacity: Int = 10_000) {
        self.timeToLive = timeToLive
        self.capacity = capacity
    }

    /// The remembered profile of `user` if it is exactly `version` and not older than the time to live.
    func profile(of user: UserID, version: Int) -> PersonalityProfile? {
        state.withLock { state in
            guard let entry = state.entries[user], entry.version == version,
                ContinuousClock.now - entry.rememberedAt < timeToLive
            else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            return entry.profile
        }
    }

    /// The newest remembered profile of `user` and its version, whatever the store holds now: good for work done
    /// ahead of a transaction that checks the version before it relies on it.
    func latest(of user: UserID) -> (profile: PersonalityProfile, version: Int)? {
        state.withLock { state in
            guard let entry = state.entries[user], ContinuousClock.now - entry.rememberedAt < timeToLive else {
                return nil
            }
            return (entry.profile, entry.version)
        }
    }

    /// Remembers a committed version; an older version never replaces a newer one.
    func remember(_ profile: PersonalityProfile, version: Int, of user: UserID) {
        state.withLock { state in
            if let current = state.entries[user], current.version > version { return }
            if state.entries[user] == nil, state.entries.count >= capacity { evict(&state) }
            state.entries[user] = Entry(version: version, profile: profile, rememberedAt: .now)
        }
    }

    /// Forgets the person's profile (/forget): it must not outlive the rows it was read from.
    func forget(_ user: UserID) { state.withLock { $0.entries[user] = nil } }

    /// Reads that were answered from memory, and reads that went to the store.
    public var counts: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }

    /// Drops expired entries, and if that is not enough the oldest half.
    private func evict(_ state: inout State) {
        let now = ContinuousClock.now
        state.entries = state.entries.filter { now - $0.value.rememberedAt < timeToLive }
        guard state.entries.count >= capacity else { return }
        let oldestFirst = state.entries.sorted { $0.value.rememberedAt < $1.value.rememberedAt }
        for (user, _) in oldestFirst.prefix(state.entries.count / 2) { state.entries[user] = nil }
    }
}

/// A table that keeps one profile document and its version per person, with the two reads the memo makes.
struct ProfileTable: Sendable {
    /// Profile storage's own profiles, the source of truth.
    static let profileStorage = ProfileTable(table: "personality_profiles", column: "profile_data")
    /// The coach's copy, kept from `profile.updated` events.
    static let coach = ProfileTable(table: "coach_profiles", column: "profile")

    let column: String
    /// The versions of a number of people.
    let versions: SQLTemplate
    /// The documents and versions of a number of people.
    let documents: SQLTemplate

    private init(table: String, column: String) {
        versions = SQLTemplate(rows: { db, rows in
            db.select().column("user_id").column("version").from(table)
                .where(SQLIdentifier("user_id"), .in, SQLTemplate.values(rows))
        })
        documents = SQLTemplate(rows: { db, rows in
            db.select().column("user_id").column(SQLJSONColumn(name: column)).column("version").from(table)
                .where(SQLIdentifier("user_id"), .in, SQLTemplate.values(rows))
        })
        self.column = column
    }

    /// The stored versions of these people, in one statement.
    func versions(of users: Set<UserID>, in db: any SQLDatabase) async throws -> [UserID: Int] {
        guard !users.isEmpty else { return [:] }
        var versions: [UserID: Int] = [:]
        for row in try await self.versions.all(rows: users.count, users.map(\.rawValue), on: db) {
            versions[UserID(try row.decode(column: "user_id", as: String.self))] = try row.decode(
                column: "version", as: Int.self)
        }
        return versions
    }
}

extension ProfileMemo {
    typealias Versioned = (profile: PersonalityProfile, version: Int)

    /// Reads a person's profile and its version from `table`: from memory when the stored version is the one
    /// remembered, otherwise from the store, remembered once `context` commits.
    func load(_ user: UserID, from table: ProfileTable, context: HandlerContext) async throws -> Versioned? {
        try await load([user], from: table, context: context)[user]
    }

    /// The same for a number of people, in two statements at most: their versions, then the documents of those
    /// not remembered at that version.
    func load(_ users: Set<UserID>, from table: ProfileTable, context: HandlerContext) async throws
        -> [UserID: Versioned]
    {
        try await load(users, from: table, in: context.db) { work in context.onCommit(work) }
    }

    /// The same, in a read-only transaction: what it reads is committed already, so it is remembered at once.
    func load(_ user: UserID, from table: ProfileTable, reading db: any SQLDatabase) async throws -> Versioned? {
        try await load([user], from: table, reading: db)[user]
    }

    func load(_ users: Set<UserID>, from table: ProfileTable, reading db: any SQLDatabase) async throws
        -> [UserID: Versioned]
    {
        try await load(users, from: table, in: db) { work in work() }
    }

    private func load(
        _ users: Set<UserID>, from table: ProfileTable, in db: any SQLDatabase,
        whenSafe: (@escaping @Sendable () -> Void) -> Void
    ) async throws -> [UserID: Versioned] {
        var loaded: [UserID: Versioned] = [:]
        var missing: [UserID] = []
        for (user, version) in try await table.versions(of: users, in: db) {
            if let profile = profile(of: user, version: version) {
                loaded[user] = (profile, version)
            } else {
                missing.append(user)
            }
        }
        guard !missing.isEmpty else { return loaded }
        var read: [(UserID, Versioned)] = []
        for row in try await table.documents.all(rows: missing.count, missing.map(\.rawValue), on: db) {
            let user = UserID(try row.decode(column: "user_id", as: String.self))
            let profile = try EventCoding.decode(
                PersonalityProfile.self, from: try row.decode(column: table.column, as: String.self))
            let version = try row.decode(column: "version", as: Int.self)
            loaded[user] = (profile, version)
            read.append((user, (profile, version)))
        }
        let fresh = read
        whenSafe { for (user, entry) in fresh { self.remember(entry.profile, version: entry.version, of: user) } }
        return loaded
    }
}
