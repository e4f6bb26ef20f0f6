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

    private static let byID = SQLTemplate { db in
        db.select().columns(columns).from("onboarding_sessions").where("id", .equal, SQLTemplate.value).limit(1)
    }

    static func find(_ id: SessionID, in db: any SQLDatabase) async throws -> SessionRecord? {
        try await byID.first(id.rawValue, on: db).map(record)
    }

    private static let latestOpenOfUser = SQLTemplate { db in
        db.select().columns(columns).from("onboarding_sessions")
            .where("user_id", .equal, SQLTemplate.value).where("status", .notEqual, SQLTemplate.value)
            .orderBy("started_at", .descending).limit(1)
    }

    /// The person's newest session that is not completed (active, paused or timed out).
    static func latestOpen(of user: UserID, in db: any SQLDatabase) async throws -> SessionRecord? {
        try await latestOpenOfUser.first(user.rawValue, SessionStatus.completed.rawValue, on: db).map(record)
    }

    static func active(dueBefore now: Date, limit: Int, in db: any SQLDatabase) async throws -> [SessionRecord] {
        try await db.select().columns(columns).from("onboarding_sessions")
            .where("status", .equal, SessionStatus.active.rawValue)
            .where("timeout_at", .lessThan, now)
            .orderBy("timeout_at").limit(limit)
            .all().map(record)
    }

    static func insert(_ session: SessionRecord, in db: any SQLDatabase) async throws {
        try await db.insert(into: "onboarding_sessions").columns(columns).values(values(of: session)).run()
    }

    private static let updateByID = SQLTemplate { db in
        db.update("onboarding_sessions")
            .set("status", to: SQLTemplate.value).set("answers_count", to: SQLTemplate.value)
            .set("last_activity_at", to: SQLTemplate.value).set("timeout_at", to: SQLTemplate.value)
            .set("completed_at", to: SQLTemplate.value).set("completion_reason", to: SQLTemplate.value)
            .where("id", .equal, SQLTemplate.value)
    }

    static func update(_ session: SessionRecord, in db: any SQLDatabase) async throws {
        try await updateByID.run(
            session.status.rawValue, session.answersCount, session.lastActivityAt, session.timeoutAt,
            session.completedAt, session.completionReason, session.id.rawValue, on: db)
    }

    private static let insertAnswer = SQLTemplate { db in
        db.insert(into: "user_answers_new")
            .columns("event_id", "user_id", "session_id", "question_id", "answer_text", "scale_value", "created_at")
            .values(Array(repeating: SQLTemplate.value, count: 7))
            .ignoringConflicts(with: ["event_id"]).returning("id")
    }

    /// Stores an answer exactly once per submitting event; returns false if it was already stored.
    static func storeAnswer(
        _ answer: AnswerSubmitted, eventID: EventID, user: UserID, now: Date, in db: any SQLDatabase
    ) async throws -> Bool {
        let rows = try await insertAnswer.all(
            eventID.rawValue, user.rawValue, answer.sessionID.rawValue, answer.questionID.rawValue, answer.text,
            answer.scaleValue, now, on: db)
        return !rows.isEmpty
    }

    private static func values(of session: SessionRecord) -> [any SQLExpression] {
        [
            SQLBind(session.id.rawValue), SQLBind(session.userID.rawValue), SQLBind(session.status.rawValue),
            SQLBind(session.language.rawValue), SQLBind(session.targetAnswers), SQLBind(session.answersCount),
            SQLBind(session.startedAt), SQLBind(session.lastActivityAt), SQLBind(session.timeoutAt),
            SQLBind(session.completedAt), SQLBind(session.completionReason),
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
