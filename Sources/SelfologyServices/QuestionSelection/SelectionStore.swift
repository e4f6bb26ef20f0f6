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
    var breakOffers: Int
    /// Answer count when the latest break was offered.
    var lastBreakOfferAt: Int?
}

struct AskedRow: Sendable {
    let sessionID: SessionID
    let ordinal: Int
    let askedAt: Date
    var question: AskedQuestion
}

/// Question selection's tables: `selection_sessions` and `asked_questions`.
enum SelectionStore {
    static let sessionColumns = [
        "session_id", "user_id", "target_answers", "answered_count", "status", "pending_question_id", "break_offers",
        "last_break_offer_at",
    ]

    private static let sessionsByID = SQLTemplate(rows: { db, rows in
        db.select().columns(sessionColumns).from("selection_sessions")
            .where(SQLIdentifier("session_id"), .in, SQLTemplate.values(rows))
    })

    /// These sessions, read in one statement.
    static func sessions(_ ids: Set<SessionID>, in db: any SQLDatabase) async throws -> [SessionID: SelectionSession] {
        guard !ids.isEmpty else { return [:] }
        var sessions: [SessionID: SelectionSession] = [:]
        for row in try await sessionsByID.all(rows: ids.count, ids.map(\.rawValue), on: db) {
            let id = SessionID(try row.decode(column: "session_id", as: String.self))
            sessions[id] = SelectionSession(
                sessionID: id,
                userID: UserID(try row.decode(column: "user_id", as: String.self)),
                targetAnswers: try row.decode(column: "target_answers", as: Int.self),
                answeredCount: try row.decode(column: "answered_count", as: Int.self),
                status: SelectionSession.Status(rawValue: try row.decode(column: "status", as: String.self))
                    ?? .completed,
                pendingQuestionID: try row.decode(column: "pending_question_id", as: String?.self)
                    .map(QuestionID.init),
                breakOffers: try row.decode(column: "break_offers", as: Int.self),
                lastBreakOfferAt: try row.decode(column: "last_break_offer_at", as: Int?.self))
        }
        return sessions
    }

    private static let saveSessions = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "selection_sessions").columns(sessionColumns)
        insert.values(rows: rows, each: SQLTemplate.row(sessionColumns.count))
        return insert.onConflict(
            with: ["session_id"],
            replacing: ["answered_count", "status", "pending_question_id", "break_offers", "last_break_offer_at"])
    })

    /// Inserts or updates these sessions in one statement.
    static func save(_ sessions: [SelectionSession], in db: any SQLDatabase) async throws {
        guard !sessions.isEmpty else { return }
        let values = sessions.flatMap { session -> [any Encodable & Sendable] in
            [
                session.sessionID.rawValue, session.userID.rawValue, session.targetAnswers, session.answeredCount,
                session.status.rawValue, session.pendingQuestionID?.rawValue, session.breakOffers,
                session.lastBreakOfferAt,
            ]
        }
        try await saveSessions.run(rows: sessions.count, values, on: db)
    }

    static let askedColumns = [
        "user_id", "question_id", "session_id", "ordinal", "asked_at", "status", "quality", "valence", "word_count",
        "response_seconds", "said_tired",
    ]

    private static let askedByUsers = SQLTemplate(rows: { db, rows in
        db.select().columns(askedColumns).from("asked_questions")
            .where(SQLIdentifier("user_id"), .in, SQLTemplate.values(rows))
            .orderBy("asked_at").orderBy("ordinal")
    })

    /// Every question these people have been shown, each person's oldest first, read in one statement.
    static func asked(by users: Set<UserID>, in db: any SQLDatabase) async throws -> [UserID: [AskedRow]] {
        guard !users.isEmpty else { return [:] }
        var asked: [UserID: [AskedRow]] = [:]
        for row in try await askedByUsers.all(rows: users.count, users.map(\.rawValue), on: db) {
            let user = UserID(try row.decode(column: "user_id", as: String.self))
            asked[user, default: []].append(
                AskedRow(
                    sessionID: SessionID(try row.decode(column: "session_id", as: String.self)),
                    ordinal: try row.decode(column: "ordinal", as: Int.self),
                    askedAt: try row.decode(column: "asked_at", as: Date.self),
                    question: AskedQuestion(
                        questionID: QuestionID(try row.decode(column: "question_id", as: String.self)),
                        outcome: AskedQuestion.Outcome(rawValue: try row.decode(column: "status", as: String.self))
                            ?? .pending,
                        quality: try row.decode(column: "quality", as: Double?.self),
                        valence: try row.decode(column: "valence", as: Double?.self),
                        wordCount: try row.decode(column: "word_count", as: Int?.self),
                        responseSeconds: try row.decode(column: "response_seconds", as: Double?.self),
                        saidTired: try row.decode(column: "said_tired", as: Int.self) != 0)))
        }
        return asked
    }

    private static let saveAsked = SQLTemplate(rows: { db, rows in
        let insert = db.insert(into: "asked_questions").columns(askedColumns)
        insert.values(rows: rows, each: SQLTemplate.row(askedColumns.count))
        // Where and when a question was shown never changes; how it was answered does.
        return insert.onConflict(
            with: ["user_id", "question_id"],
            replacing: ["status", "quality", "valence", "word_count", "response_seconds", "said_tired"])
    })

    /// Inserts or updates these shown questions in one statement.
    static func save(_ rows: [(user: UserID, row: AskedRow)], in db: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let values = rows.flatMap { user, row -> [any Encodable & Sendable] in
            let question = row.question
            return [
                user.rawValue, question.questionID.rawValue, row.sessionID.rawValue, row.ordinal, row.askedAt,
                question.outcome.rawValue, question.quality, question.valence, question.wordCount,
                question.responseSeconds, question.saidTired ? 1 : 0,
            ]
        }
        try await saveAsked.run(rows: rows.count, values, on: db)
    }
}
