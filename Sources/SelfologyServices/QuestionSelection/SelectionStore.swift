import Foundation
import SQLKit
import SelfologyCore

struct SelectionSession: Sendable {
    enum Status: String { case active, paused, completed }

    let sessionID: SessionID
    let userID: UserID
    let targetAnswers: Int
    var answeredCount: Int
    var status: Status
    var pendingQuestionID: QuestionID?
}

struct AskedRow: Sendable {
    enum Status: String { case asked, answered, skipped }

    let questionID: QuestionID
    let sessionID: SessionID
    let ordinal: Int
    let status: Status
    let quality: Double?
}

/// Question selection's tables: `selection_sessions` and `asked_questions`, plus the `questions_metadata` mirror
/// of the bundled bank.
enum SelectionStore {
    static func session(_ id: SessionID, in db: any SQLDatabase) async throws -> SelectionSession? {
        guard
            let row = try await db.select()
                .columns("session_id", "user_id", "target_answers", "answered_count", "status", "pending_question_id")
                .from("selection_sessions").where("session_id", .equal, id.rawValue).first()
        else { return nil }
        return SelectionSession(
            sessionID: id,
            userID: UserID(try row.decode(column: "user_id", as: String.self)),
            targetAnswers: try row.decode(column: "target_answers", as: Int.self),
            answeredCount: try row.decode(column: "answered_count", as: Int.self),
            status: SelectionSession.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .completed,
            pendingQuestionID: try row.decode(column: "pending_question_id", as: String?.self).map(QuestionID.init))
    }

    static func save(_ session: SelectionSession, in db: any SQLDatabase) async throws {
        try await db.insert(into: "selection_sessions")
            .columns("session_id", "user_id", "target_answers", "answered_count", "status", "pending_question_id")
            .values(
                SQLBind(session.sessionID.rawValue), SQLBind(session.userID.rawValue), SQLBind(session.targetAnswers),
                SQLBind(session.answeredCount), SQLBind(session.status.rawValue),
                SQLBind(session.pendingQuestionID?.rawValue)
            )
            .onConflict(with: ["session_id"]) {
                $0.set("answered_count", to: session.answeredCount)
                    .set("status", to: session.status.rawValue)
                    .set("pending_question_id", to: session.pendingQuestionID?.rawValue)
            }
            .run()
    }

    /// Every question the person has been shown, oldest first.
    static func asked(by user: UserID, in db: any SQLDatabase) async throws -> [AskedRow] {
        try await db.select().columns("question_id", "session_id", "ordinal", "status", "quality")
            .from("asked_questions").where("user_id", .equal, user.rawValue)
            .orderBy("asked_at").orderBy("ordinal").all()
            .map { row in
                AskedRow(
                    questionID: QuestionID(try row.decode(column: "question_id", as: String.self)),
                    sessionID: SessionID(try row.decode(column: "session_id", as: String.self)),
                    ordinal: try row.decode(column: "ordinal", as: Int.self),
                    status: AskedRow.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .asked,
                    quality: try row.decode(column: "quality", as: Double?.self))
            }
    }

    static func recordAsked(
        _ question: QuestionID, user: UserID, session: SessionID, ordinal: Int, now: Date, in db: any SQLDatabase
    ) async throws {
        try await db.insert(into: "asked_questions")
            .columns("user_id", "question_id", "session_id", "ordinal", "status", "asked_at")
            .values(
                SQLBind(user.rawValue), SQLBind(question.rawValue), SQLBind(session.rawValue), SQLBind(ordinal),
                SQLBind(AskedRow.Status.asked.rawValue), SQLBind(now)
            )
            .ignoringConflicts(with: ["user_id", "question_id"])
            .run()
    }

    /// Marks an asked question answered or skipped; returns false if it was not waiting for an answer.
    static func settle(
        _ question: QuestionID, user: UserID, as status: AskedRow.Status, quality: Double?, in db: any SQLDatabase
    ) async throws -> Bool {
        let rows = try await db.update("asked_questions")
            .set("status", to: status.rawValue)
            .set("quality", to: quality)
            .where("user_id", .equal, user.rawValue)
            .where("question_id", .equal, question.rawValue)
            .where("status", .equal, AskedRow.Status.asked.rawValue)
            .returning("question_id")
            .all()
        return !rows.isEmpty
    }
}
