import Foundation
import SQLKit
import SelfologyCore

/// Question selection's rows for one batch of events, read in two statements, changed in memory event by event,
/// and written back in two. Before, every event read its session and its person's questions and wrote each
/// change on its own: five statements per answer, each a round trip on PostgreSQL and a turn of SQLite's writer.
/// A person's later event in the batch sees what the earlier one changed, as it would one transaction apart.
struct SelectionWorkspace {
    private(set) var sessions: [SessionID: SelectionSession]
    /// Each person's questions, oldest first (as `SelectionStore.asked(by:)` orders them).
    private(set) var asked: [UserID: [AskedRow]]
    private var changedSessions: Set<SessionID> = []
    private var changedQuestions: [UserID: Set<QuestionID>] = [:]

    /// The sessions these events name and every question their people were shown.
    static func load(for events: [EventEnvelope], sessions ids: Set<SessionID>, in db: any SQLDatabase)
        async throws -> SelectionWorkspace
    {
        SelectionWorkspace(
            sessions: try await SelectionStore.sessions(ids, in: db),
            asked: try await SelectionStore.asked(by: Set(events.map(\.userID)), in: db))
    }

    func session(_ id: SessionID) -> SelectionSession? { sessions[id] }

    func questions(of user: UserID) -> [AskedRow] { asked[user] ?? [] }

    mutating func update(_ session: SelectionSession) {
        sessions[session.sessionID] = session
        changedSessions.insert(session.sessionID)
    }

    /// Records the answer's reading on the question it answers; false if the question was not waiting.
    mutating func recordAnswer(
        _ question: QuestionID, user: UserID, analysis: InstantAnalysis, answeredAt: Date
    ) -> Bool {
        settle(question, of: user) { row in
            AskedQuestion(
                questionID: question, outcome: .answered, quality: analysis.quality, valence: analysis.valence,
                wordCount: analysis.wordCount, responseSeconds: max(0, answeredAt.timeIntervalSince(row.askedAt)),
                saidTired: analysis.saidTired)
        }
    }

    /// Marks a waiting question skipped; false if it was not waiting.
    mutating func recordSkip(_ question: QuestionID, user: UserID) -> Bool {
        settle(question, of: user) { _ in .shown(question, outcome: .skipped) }
    }

    /// A question just shown; a question is shown to a person once, so one already known is left as it is.
    mutating func recordAsked(_ question: QuestionID, user: UserID, session: SessionID, ordinal: Int, now: Date) {
        guard !questions(of: user).contains(where: { $0.question.questionID == question }) else { return }
        asked[user, default: []].append(
            AskedRow(
                sessionID: session, ordinal: ordinal, askedAt: now,
                question: .shown(question, outcome: .pending)))
        changedQuestions[user, default: []].insert(question)
    }

    /// Writes what changed: one statement for the sessions, one for the questions.
    func save(in db: any SQLDatabase) async throws {
        try await SelectionStore.save(
            changedSessions.sorted { $0.rawValue < $1.rawValue }.compactMap { sessions[$0] }, in: db)
        var rows: [(user: UserID, row: AskedRow)] = []
        for (user, questions) in changedQuestions.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for row in asked[user] ?? [] where questions.contains(row.question.questionID) {
                rows.append((user, row))
            }
        }
        try await SelectionStore.save(rows, in: db)
    }

    /// Gives a waiting question its outcome; false if it was not waiting.
    private mutating func settle(
        _ question: QuestionID, of user: UserID, as outcome: (AskedRow) -> AskedQuestion
    ) -> Bool {
        guard let index = asked[user]?.firstIndex(where: { $0.question.questionID == question }),
            let row = asked[user]?[index], row.question.outcome == .pending
        else { return false }
        asked[user]?[index].question = outcome(row)
        changedQuestions[user, default: []].insert(question)
        return true
    }
}

extension AskedQuestion {
    /// A question as shown, before any reading of an answer.
    static func shown(_ question: QuestionID, outcome: Outcome) -> AskedQuestion {
        AskedQuestion(
            questionID: question, outcome: outcome, quality: nil, valence: nil, wordCount: nil, responseSeconds: nil,
            saidTired: false)
    }
}
