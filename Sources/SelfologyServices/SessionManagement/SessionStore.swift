import Foundation
import SQLKit
import SelfologyCore

enum SessionStatus: String, Sendable {
    case active, paused, completed, timeout
}

struct SessionRecord: Sendable {
    let id: SessionID
    let userID: UserID
    var status: SessionStatus
    let language: Language
    let targetAnswers: Int
    var answersCount: Int
    let startedAt: Date
    var lastActivityAt: Date
    var timeoutAt: Date
    var completedAt: Date?
    var completionReason: String?

    var started: SessionStarted {
        SessionStarted(sessionID: id, language: language, targetAnswers: targetAnswers, answersSoFar: answersCount)
    }

    func stopped(_ reason: SessionStopped.Reason) -> SessionStopped {
        SessionStopped(sessionID: id, reason: reason, answers: answersCount, language: language)
    }
}

/// Session management's tables: `onboarding_sessions` and `user_answers_new`.
enum SessionStore {
    static let columns = [
        "id", "user_id", "status", "language", "target_answers", "answers_count", "started_at", "last_activity_at",
        "timeout_at", "completed_at", "completion_reason",
    ]

    private static let openOfUsers = SQLTemplate(rows: { db, rows in
        db.select().columns(columns).from("onboarding_sessions")
            .where(SQLIdentifier("user_id"), .in, SQLTemplate.values(rows)).where(
                "status", .notEqual, SQLTemplate.value)
    })

    /// These people's sessions that are not completed (active, paused or timed out), read in one statement.
    static func open(of users: Set<UserID>, in db: any SQLDatabase) async throws -> [SessionRecord] {
        guard !users.isEmpty else { return [] }
        let values: [any Encodable & Sendable] = users.map(\.rawValue) + [SessionStatus.completed.rawValue]
        return try await openOfUsers.all(rows: users.count, values, on: db).map(record)
    }

    static func active(dueBefore now: Date, limit: Int, in db: any SQLDatabase) async throws -> [SessionRecord] {
        try await db.select().columns(columns).from("onboarding_sessions")
            .where("status", .equal, SessionStatus.active.rawValue)
            .where("timeout_at", .lessThan, now)
            .orderBy("timeout_at").limit(limit)
            // PostgreSQL: locked until the sweep's save, so a session deleted meanwhile (/forget) is not written
            // back by it; either the deletion waits for the sweep, or the sweep no longer finds the row.
            .for(.update)
            .all().map(record)
    }

    private static let saveRows = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "onboarding_sessions").columns(columns)
        insert.values(rows: rows, each: SQLTemplate.row(columns.count))
        return insert.onConflict(
            with: ["id"],
            replacing: [
                "status", "answers_count", "last_activity_at", "timeout_at", "completed_at", "completion_reason",
            ])
    })

    /// Inserts new sessions and updates known ones, in one statement.
    static func save(_ sessions: [SessionRecord], in db: any SQLDatabase) async throws {
        guard !sessions.isEmpty else { return }
        try await saveRows.run(rows: sessions.count, sessions.flatMap(values(of:)), on: db)
    }

    /// An answer to store, with the event that submitted it.
    struct SubmittedAnswer {
        let eventID: EventID
        let user: UserID
        let answer: AnswerSubmitted
        let at: Date
    }

    private static let insertAnswers = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "user_answers_new")
            .columns("event_id", "user_id", "session_id", "question_id", "answer_text", "scale_value", "created_at")
        insert.values(rows: rows, each: SQLTemplate.row(7))
        return insert.ignoringConflicts(with: ["event_id"]).returning("event_id")
    })

    /// Stores answers exactly once per submitting event, in one statement; returns the events whose answer was
    /// not stored before.
    static func store(_ answers: [SubmittedAnswer], in db: any SQLDatabase) async throws -> Set<EventID> {
        guard !answers.isEmpty else { return [] }
        let values = answers.flatMap { submitted -> [any Encodable & Sendable] in
            let answer = submitted.answer
            return [
                submitted.eventID.rawValue, submitted.user.rawValue, answer.sessionID.rawValue,
                answer.questionID.rawValue, answer.text, answer.scaleValue, submitted.at,
            ]
        }
        let rows = try await insertAnswers.all(rows: answers.count, values, on: db)
        return Set(try rows.map { EventID(try $0.decode(column: "event_id", as: String.self)) })
    }

    private static func values(of session: SessionRecord) -> [any Encodable & Sendable] {
        [
            session.id.rawValue, session.userID.rawValue, session.status.rawValue, session.language.rawValue,
            session.targetAnswers, session.answersCount, session.startedAt, session.lastActivityAt, session.timeoutAt,
            session.completedAt, session.completionReason,
        ]
    }

    private static func record(_ row: any SQLRow) throws -> SessionRecord {
        SessionRecord(
            id: SessionID(try row.decode(column: "id", as: String.self)),
            userID: UserID(try row.decode(column: "user_id", as: String.self)),
            status: SessionStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .completed,
            language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
            targetAnswers: try row.decode(column: "target_answers", as: Int.self),
            answersCount: try row.decode(column: "answers_count", as: Int.self),
            startedAt: try row.decode(column: "started_at", as: Date.self),
            lastActivityAt: try row.decode(column: "last_activity_at", as: Date.self),
            timeoutAt: try row.decode(column: "timeout_at", as: Date.self),
            completedAt: try row.decode(column: "completed_at", as: Date?.self),
            completionReason: try row.decode(column: "completion_reason", as: String?.self))
    }
}
