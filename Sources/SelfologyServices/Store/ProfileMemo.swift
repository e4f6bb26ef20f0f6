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
    let version: SQLTemplate
    let document: SQLTemplate

    private init(table: String, column: String) {
        version = SQLTemplate { db in
            db.select().column("version").from(table).where("user_id", .equal, SQLTemplate.value).limit(1)
        }
        document = SQLTemplate { db in
            db.select().column(SQLJSONColumn(name: column)).column("version").from(table)
                .where("user_id", .equal, SQLTemplate.value).limit(1)
        }
        self.column = column
    }
}

extension ProfileMemo {
    /// Reads a person's profile and its version from `table`: from memory when the stored version is the one
    /// remembered, otherwise from the store, remembered once `context` commits.
    func load(_ user: UserID, from table: ProfileTable, context: HandlerContext) async throws
        -> (profile: PersonalityProfile, version: Int)?
    {
        try await load(user, from: table, in: context.db) { work in context.onCommit(work) }
    }

    /// The same, in a read-only transaction: what it reads is committed already, so it is remembered at once.
    func load(_ user: UserID, from table: ProfileTable, reading db: any SQLDatabase) async throws
        -> (profile: PersonalityProfile, version: Int)?
    {
        try await load(user, from: table, in: db) { work in work() }
    }

    private func load(
        _ user: UserID, from table: ProfileTable, in db: any SQLDatabase,
        whenSafe: (@escaping @Sendable () -> Void) -> Void
    ) async throws -> (profile: PersonalityProfile, version: Int)? {
        guard let current = try await table.version.first(user.rawValue, on: db) else { return nil }
        let version = try current.decode(column: "version", as: Int.self)
        if let profile = profile(of: user, version: version) { return (profile, version) }
        guard let row = try await table.document.first(user.rawValue, on: db) else { return nil }
        let profile = try EventCoding.decode(
            PersonalityProfile.self, from: try row.decode(column: table.column, as: String.self))
        let read = try row.decode(column: "version", as: Int.self)
        whenSafe { self.remember(profile, version: read, of: user) }
        return (profile, read)
    }
}
