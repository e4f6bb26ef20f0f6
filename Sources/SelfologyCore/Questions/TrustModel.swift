/// How much the person has opened up, 0...1, from the quality of their answers and how many there are.
/// Deeper and more sensitive questions unlock as trust grows; CORE questions need high trust.
public enum TrustModel {
    /// Answers at which the amount of conversation stops limiting trust.
    static let fullHistory = 6.0

    /// Only answers in the person's own words count: tapping a number on a statement says nothing about openness.
    public static func trust(_ history: SelectionHistory, isScale: (QuestionID) -> Bool) -> Double {
        let answered = history.allAnswered.filter { !isScale($0.questionID) }.compactMap(\.quality)
        guard !answered.isEmpty else { return 0 }
        let meanQuality = answered.reduce(0, +) / Double(answered.count)
        return meanQuality * min(1, Double(answered.count) / fullHistory)
    }

    /// The deepest level a question may have at this trust.
    public static func maxDepth(trust: Double) -> DepthLevel {
        switch trust {
        case ..<0.2: .conscious
        case ..<0.35: .edge
        case ..<0.5: .shadow
        default: .core
        }
    }

    /// The most sensitive safety level allowed at this trust.
    public static func maxSafety(trust: Double) -> Int {
        switch trust {
        case ..<0.15: 1
        case ..<0.35: 2
        default: 3
        }
    }

    public static func allows(_ question: Question, trust: Double) -> Bool {
        question.depth <= maxDepth(trust: trust) && question.safety <= maxSafety(trust: trust)
    }
}
