/// The questions Selfology can ask, indexed by id. Built once from the bundled content and then read-only.
public struct QuestionBank: Sendable {
    public let questions: [Question]
    private let byID: [QuestionID: Question]

    public init(questions: [Question]) throws(QuestionBankError) {
        var byID: [QuestionID: Question] = [:]
        for question in questions {
            guard byID.updateValue(question, forKey: question.id) == nil else {
                throw .duplicateID(question.id)
            }
        }
        guard !questions.isEmpty else { throw .empty }
        self.questions = questions
        self.byID = byID
    }

    public subscript(id: QuestionID) -> Question? { byID[id] }
}

public enum QuestionBankError: Error, Equatable, CustomStringConvertible {
    case empty
    case duplicateID(QuestionID)

    public var description: String {
        switch self {
        case .empty: "the question bank has no questions"
        case .duplicateID(let id): "question id '\(id)' appears more than once"
        }
    }
}
