import Foundation
import SQLKit
import SelfologyCore

/// The open sessions of one batch's people, read in one statement, changed in memory event by event and written
/// back in one. Every session an event can act on is open (an event for a completed session changes nothing), so
/// these are all the batch needs; a person's later event sees what the earlier one changed.
struct SessionWorkspace {
    private var sessions: [SessionID: SessionRecord] = [:]
    private var changed: Set<SessionID> = []

    static func load(of users: Set<UserID>, in db: any SQLDatabase) async throws -> SessionWorkspace {
        var workspace = SessionWorkspace()
        for session in try await SessionStore.open(of: users, in: db) { workspace.sessions[session.id] = session }
        return workspace
    }

    /// The person's open session with this id; a session is only ever acted on by its own person.
    func session(_ id: SessionID, of user: UserID) -> SessionRecord? {
        guard let session = sessions[id], session.userID == user, session.status != .completed else { return nil }
        return session
    }

    /// The person's newest open session.
    func latestOpen(of user: UserID) -> SessionRecord? {
        sessions.values.filter { $0.userID == user && $0.status != .completed }.max { $0.startedAt < $1.startedAt }
    }

    mutating func save(_ session: SessionRecord) {
        sessions[session.id] = session
        changed.insert(session.id)
    }

    /// Writes the new and changed sessions in one statement.
    func save(in db: any SQLDatabase) async throws {
        try await SessionStore.save(changed.sorted { $0.rawValue < $1.rawValue }.compactMap { sessions[$0] }, in: db)
    }
}
