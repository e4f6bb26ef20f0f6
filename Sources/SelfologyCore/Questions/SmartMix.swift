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

/// What Smart Mix knows about the person's questions so far.
public struct SelectionHistory: Sendable {
    public struct Asked: Sendable, Equatable {
        public let questionID: QuestionID
        public let answered: Bool
        /// Instant-analysis quality of the answer, 0...1, when answered.
        public let quality: Double?

        public init(questionID: QuestionID, answered: Bool, quality: Double?) {
            self.questionID = questionID
            self.answered = answered
            self.quality = quality
        }
    }

    /// This session's questions in the order they were asked (answered or skipped).
    public let session: [Asked]
    /// Every question ever shown to this person, in any session: never asked again.
    public let everAsked: Set<QuestionID>

    public init(session: [Asked], everAsked: Set<QuestionID>) {
        self.session = session
        self.everAsked = everAsked.union(session.map(\.questionID))
    }

    public var answeredCount: Int { session.filter(\.answered).count }
}

/// Smart Mix, first version: strategy by answer count, scale items interleaved so the Big Five fills in,
/// no repeats, never two HEAVY questions in a row. Randomness is injected so a seed pins the path.
public struct SmartMix: Sendable {
    public let bank: QuestionBank

    public init(bank: QuestionBank) { self.bank = bank }

    public func select(history: SelectionHistory, using random: inout some RandomNumberGenerator)
        -> (question: Question, strategy: SelectionStrategy)?
    {
        let strategy = SelectionStrategy.forAnswers(history.answeredCount)
        let fresh = bank.questions.filter { !history.everAsked.contains($0.id) }
        guard !fresh.isEmpty else { return nil }
        let last = history.session.last.flatMap { bank[$0.questionID] }

        // Every second question is a scale item, for the trait with the fewest items so far.
        let wantsScale = history.session.count % 2 == 1
        if wantsScale, let item = nextScaleItem(fresh: fresh, history: history, using: &random) {
            return (item, strategy)
        }
        let open = fresh.filter { !$0.kind.isScale && !(last?.energy == .heavy && $0.energy == .heavy) }
        let preferred = open.filter { fits($0, strategy: strategy, history: history) }
        let pool = preferred.isEmpty ? open : preferred
        guard let choice = pool.randomElement(using: &random) ?? fresh.randomElement(using: &random) else {
            return nil
        }
        return (choice, strategy)
    }

    private func fits(_ question: Question, strategy: SelectionStrategy, history: SelectionHistory) -> Bool {
        let coveredDomains = Set(history.session.compactMap { bank[$0.questionID]?.domain })
        switch strategy {
        case .entry:
            return question.depth == .surface && question.energy == .opening
        case .exploration:
            return question.depth <= .conscious && !coveredDomains.contains(question.domain)
        case .deepening:
            return question.depth >= .conscious && question.depth <= .edge
                && question.energy != .heavy && coveredDomains.contains(question.domain)
        case .balancing:
            return question.energy == .neutral || question.energy == .healing
        }
    }

    private func nextScaleItem(
        fresh: [Question], history: SelectionHistory, using random: inout some RandomNumberGenerator
    ) -> Question? {
        var perTrait: [BigFiveTrait: Int] = [:]
        for asked in history.session {
            if case .scale(let trait, _) = bank[asked.questionID]?.kind { perTrait[trait, default: 0] += 1 }
        }
        let items = fresh.filter(\.kind.isScale)
        let fewest = items.compactMap { item -> Int? in
            if case .scale(let trait, _) = item.kind { return perTrait[trait, default: 0] }
            return nil
        }.min()
        return items.filter { item in
            if case .scale(let trait, _) = item.kind { return perTrait[trait, default: 0] == fewest }
            return false
        }.randomElement(using: &random)
    }
}
