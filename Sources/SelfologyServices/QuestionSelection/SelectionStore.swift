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

    private static let sessionByID = SQLTemplate { db in
        db.select().columns(sessionColumns).from("selection_sessions")
            .where("session_id", .equal, SQLTemplate.value).limit(1)
    }

    static func session(_ id: SessionID, in db: any SQLDatabase) async throws -> SelectionSession? {
        guard let row = try await sessionByID.first(id.rawValue, on: db) else { return nil }
        return SelectionSession(
            sessionID: id,
            userID: UserID(try row.decode(column: "user_id", as: String.self)),
            targetAnswers: try row.decode(column: "target_answers", as: Int.self),
            answeredCount: try row.decode(column: "answered_count", as: Int.self),
            status: SelectionSession.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .completed,
            pendingQuestionID: try row.decode(column: "pending_question_id", as: String?.self).map(QuestionID.init),
            breakOffers: try row.decode(column: "break_offers", as: Int.self),
            lastBreakOfferAt: try row.decode(column: "last_break_offer_at", as: Int?.self))
    }

    private static let saveSession = SQLTemplate { db in
        db.insert(into: "selection_sessions").columns(sessionColumns)
            .values(Array(repeating: SQLTemplate.value, count: sessionColumns.count))
            .onConflict(with: ["session_id"]) {
                $0.set(excludedValueOf: "answered_count").set(excludedValueOf: "status")
                    .set(excludedValueOf: "pending_question_id").set(excludedValueOf: "break_offers")
                    .set(excludedValueOf: "last_break_offer_at")
            }
    }

    static func save(_ session: SelectionSession, in db: any SQLDatabase) async throws {
        try await saveSession.run(
            session.sessionID.rawValue, session.userID.rawValue, session.targetAnswers, session.answeredCount,
            session.status.rawValue, session.pendingQuestionID?.rawValue, session.breakOffers,
            session.lastBreakOfferAt, on: db)
    }

    private static let askedByUser = SQLTemplate { db in
        db.select()
            .columns(
                "question_id", "session_id", "ordinal", "asked_at", "status", "quality", "valence", "word_count",
                "response_seconds", "said_tired"
            )
            .from("asked_questions").where("user_id", .equal, SQLTemplate.value)
            .orderBy("asked_at").orderBy("ordinal")
    }

    /// Every question the person has been shown, oldest first.
    static func asked(by user: UserID, in db: any SQLDatabase) async throws -> [AskedRow] {
        try await askedByUser.all(user.rawValue, on: db)
            .map { row in
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
                        saidTired: try row.decode(column: "said_tired", as: Int.self) != 0))
            }
    }

    private static let insertAsked = SQLTemplate { db in
        db.insert(into: "asked_questions")
            .columns("user_id", "question_id", "session_id", "ordinal", "status", "asked_at")
            .values(Array(repeating: SQLTemplate.value, count: 6))
            .ignoringConflicts(with: ["user_id", "question_id"])
    }

    static func recordAsked(
        _ question: QuestionID, user: UserID, session: SessionID, ordinal: Int, now: Date, in db: any SQLDatabase
    ) async throws {
        try await insertAsked.run(
            user.rawValue, question.rawValue, session.rawValue, ordinal, AskedQuestion.Outcome.pending.rawValue, now,
            on: db)
    }

    private static let answerAsked = SQLTemplate { db in
        db.update("asked_questions")
            .set("status", to: SQLTemplate.value).set("quality", to: SQLTemplate.value)
            .set("valence", to: SQLTemplate.value).set("word_count", to: SQLTemplate.value)
            .set("response_seconds", to: SQLTemplate.value).set("said_tired", to: SQLTemplate.value)
            .where("user_id", .equal, SQLTemplate.value).where("question_id", .equal, SQLTemplate.value)
    }

    /// Records the answer's reading on the question it answers, in the store and in `asked` (the person's rows,
    /// as `asked(by:)` read them in this transaction); returns false if the question was not waiting.
    static func recordAnswer(
        _ question: QuestionID, user: UserID, analysis: InstantAnalysis, answeredAt: Date, asked: inout [AskedRow],
        in db: any SQLDatabase
    ) async throws -> Bool {
        guard let index = asked.firstIndex(where: { $0.question.questionID == question }),
            asked[index].question.outcome == .pending
        else { return false }
        let seconds = max(0, answeredAt.timeIntervalSince(asked[index].askedAt))
        try await answerAsked.run(
            AskedQuestion.Outcome.answered.rawValue, analysis.quality, analysis.valence, analysis.wordCount, seconds,
            analysis.saidTired ? 1 : 0, user.rawValue, question.rawValue, on: db)
        asked[index].question = AskedQuestion(
            questionID: question, outcome: .answered, quality: analysis.quality, valence: analysis.valence,
            wordCount: analysis.wordCount, responseSeconds: seconds, saidTired: analysis.saidTired)
        return true
    }

    private static let skipAsked = SQLTemplate { db in
        db.update("asked_questions").set("status", to: SQLTemplate.value)
            .where("user_id", .equal, SQLTemplate.value).where("question_id", .equal, SQLTemplate.value)
            .where("status", .equal, SQLTemplate.value)
            .returning("question_id")
    }

    /// Marks a waiting question skipped; returns false if it was not waiting.
    static func recordSkip(_ question: QuestionID, user: UserID, in db: any SQLDatabase) async throws -> Bool {
        let rows = try await skipAsked.all(
            AskedQuestion.Outcome.skipped.rawValue, user.rawValue, question.rawValue,
            AskedQuestion.Outcome.pending.rawValue, on: db)
        return !rows.isEmpty
    }
}
