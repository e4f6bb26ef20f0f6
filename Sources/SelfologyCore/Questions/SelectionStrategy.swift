/// The four phases of Smart Mix, chosen by how many questions the person has answered in the session.
public enum SelectionStrategy: String, Codable, Sendable, CaseIterable {
    /// 0-1 answers: light, broad, inviting.
    case entry = "ENTRY"
    /// 2-4 answers: discover domains not yet covered.
    case exploration = "EXPLORATION"
    /// 5-8 answers: go deeper where the person engages most.
    case deepening = "DEEPENING"
    /// 9+ answers: manage energy, avoid fatigue.
    case balancing = "BALANCING"

    public static func forAnswers(_ answered: Int) -> SelectionStrategy {
        switch answered {
        case ..<2: .entry
        case 2...4: .exploration
        case 5...8: .deepening
        default: .balancing
        }
    }
}
