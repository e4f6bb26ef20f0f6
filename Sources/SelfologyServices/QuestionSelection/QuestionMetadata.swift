import SQLKit
import SelfologyCore

/// The `questions_metadata` table: a queryable mirror of the bundled bank, owned by question selection.
public enum QuestionMetadata {
    /// Mirrors the bundled bank into `questions_metadata` (insert new ids, refresh changed ones).
    public static func sync(_ bank: QuestionBank, in db: any SQLDatabase) async throws {
        for batch in stride(from: 0, to: bank.questions.count, by: 100) {
            let insert = db.insert(into: "questions_metadata").columns(
                "question_id", "question_text", "question_text_ru", "domain", "depth_level", "energy_dynamics",
                "safety_level", "answer_kind", "trait", "reverse_keyed")
            for question in bank.questions[batch..<min(batch + 100, bank.questions.count)] {
                var trait: String?
                var reverse = 0
                if case .scale(let keyed, let isReverse) = question.kind {
                    trait = keyed.rawValue
                    reverse = isReverse ? 1 : 0
                }
                insert.values(
                    SQLBind(question.id.rawValue), SQLBind(question.text.en), SQLBind(question.text.ru),
                    SQLBind(question.domain.rawValue), SQLBind(question.depth.rawValue),
                    SQLBind(question.energy.rawValue), SQLBind(question.safety),
                    SQLBind(question.kind.isScale ? "scale" : "text"), SQLBind(trait), SQLBind(reverse))
            }
            try await insert.onConflict(
                with: ["question_id"],
                replacing: [
                    "question_text", "question_text_ru", "domain", "depth_level", "energy_dynamics", "safety_level",
                    "answer_kind", "trait", "reverse_keyed",
                ]
            ).run()
        }
    }
}
