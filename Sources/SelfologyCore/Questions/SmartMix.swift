/// What Smart Mix decided to do next.
public enum SelectionDecision: Sendable, Equatable {
    case ask(Question, SelectionStrategy)
    /// The person seems tired: offer a pause or a graceful end instead of another question.
    case offerBreak(FatigueAssessment)
    /// No question the rules allow is left for this person.
    case exhausted
}

/// Smart Mix: chooses the next question from the strategy of the moment (ENTRY, EXPLORATION, DEEPENING,
/// BALANCING), within hard rules that are never broken:
/// - no question is ever asked twice to one person (skipped ones included);
/// - never HEAVY right after HEAVY, at most two HEAVY per session, HEALING or NEUTRAL after a HEAVY one, and the
///   last question of a session is never HEAVY;
/// - depth and sensitivity are allowed only as far as the person's trust goes (TrustModel);
/// - every second question is a Big Five statement, for the least-measured trait, so ten answers give an
///   estimate of all five traits.
/// Randomness is injected: the same seed and history always give the same question.
public struct SmartMix: Sendable {
    public static let maxHeavyPerSession = 2
    public static let maxBreakOffers = 2
    /// Answers after an offered break before another may be offered.
    public static let breakCooldown = 3
    /// Answers in a session before fatigue is judged at all.
    public static let fatigueWarmup = 3

    public let bank: QuestionBank

    public init(bank: QuestionBank) { self.bank = bank }

    public func decide(_ history: SelectionHistory, using random: inout some RandomNumberGenerator)
        -> SelectionDecision
    {
        let lastAsked = history.session.last.flatMap { bank[$0.questionID] }
        if let assessment = breakOffer(history, lastAsked: lastAsked) { return .offerBreak(assessment) }

        let strategy = SelectionStrategy.forAnswers(history.answeredCount)
        let candidates = eligible(history, lastAsked: lastAsked)
        guard !candidates.isEmpty else { return .exhausted }

        let questions = bank.questions
        let every = scaleInterval(history)
        if history.session.count % every == every - 1,
            let item = scaleItem(from: candidates, history: history, random: &random)
        {
            return .ask(questions[item], strategy)
        }
        let open = candidates.filter { !questions[$0].kind.isScale }
        let pool = open.isEmpty ? candidates : open
        let context = ScoringContext(history: history, bank: bank, lastAsked: lastAsked)
        // The best-scoring questions, in bank order.
        var best = Int.min
        var top: [Int] = []
        for index in pool {
            let score = context.score(questions[index], strategy: strategy)
            if score > best {
                best = score
                top = [index]
            } else if score == best {
                top.append(index)
            }
        }
        guard let choice = top.randomElement(using: &random) else { return .exhausted }
        return .ask(questions[choice], strategy)
    }

    /// The positions in the bank of the questions the hard rules allow now. Positions, not questions: copying
    /// each allowed question (and again for each narrower list) was most of a decision's cost.
    func eligible(_ history: SelectionHistory, lastAsked: Question?) -> [Int] {
        let asked = history.everAsked
        let trust = TrustModel.trust(history) { bank[$0]?.kind.isScale ?? false }
        let sessionQuestions = history.session.compactMap { bank[$0.questionID] }
        let heavyAsked = sessionQuestions.filter { $0.energy == .heavy }.count
        let isFinal = history.answeredCount + 1 >= history.targetAnswers
        let afterHeavy = lastAsked?.energy == .heavy
        return bank.questions.indices.filter { index in
            let question = bank.questions[index]
            guard !asked.contains(question.id), TrustModel.allows(question, trust: trust) else { return false }
            if afterHeavy && question.energy != .healing && question.energy != .neutral { return false }
            if question.energy == .heavy && (heavyAsked >= Self.maxHeavyPerSession || isFinal) { return false }
            return true
        }
    }

    private func breakOffer(_ history: SelectionHistory, lastAsked: Question?) -> FatigueAssessment? {
        guard history.answeredCount >= Self.fatigueWarmup, history.breakOffers < Self.maxBreakOffers,
            history.lastBreakOfferAt.map({ history.answeredCount - $0 >= Self.breakCooldown }) ?? true,
            // After a HEAVY question comes a lighter one first: a session should not stop on a heavy note.
            lastAsked?.energy != .heavy
        else { return nil }
        let assessment = FatigueDetector.assess(history.session) { bank[$0]?.kind.isScale ?? false }
        return assessment.isFatigued ? assessment : nil
    }

    /// Every second question is a statement until each trait has two (a first estimate of all five within one
    /// ten-answer onboarding, a steadier one in the second), then every third, leaving room for open questions.
    func scaleInterval(_ history: SelectionHistory) -> Int {
        var perTrait: [BigFiveTrait: Int] = [:]
        for asked in history.earlier + history.session {
            if case .scale(let trait, _) = bank[asked.questionID]?.kind { perTrait[trait, default: 0] += 1 }
        }
        return BigFiveTrait.allCases.allSatisfy({ perTrait[$0, default: 0] >= 2 }) ? 3 : 2
    }

    /// The statement for the trait with the fewest statements so far, alternating its keying; its bank position.
    private func scaleItem(
        from candidates: [Int], history: SelectionHistory, random: inout some RandomNumberGenerator
    ) -> Int? {
        var perTrait: [BigFiveTrait: (forward: Int, reverse: Int)] = [:]
        for asked in history.earlier + history.session {
            if case .scale(let trait, let reverse) = bank[asked.questionID]?.kind {
                var counts = perTrait[trait] ?? (0, 0)
                if reverse { counts.reverse += 1 } else { counts.forward += 1 }
                perTrait[trait] = counts
            }
        }
        func total(_ trait: BigFiveTrait) -> Int { (perTrait[trait]?.forward ?? 0) + (perTrait[trait]?.reverse ?? 0) }
        let items = candidates.compactMap { index -> (Int, BigFiveTrait, Bool)? in
            if case .scale(let trait, let reverse) = bank.questions[index].kind { return (index, trait, reverse) }
            return nil
        }
        guard let fewest = items.map({ total($0.1) }).min() else { return nil }
        let forTrait = items.filter { total($0.1) == fewest }
        let balanced = forTrait.filter { item in
            let counts = perTrait[item.1] ?? (0, 0)
            return item.2 ? counts.reverse <= counts.forward : counts.forward <= counts.reverse
        }
        return (balanced.isEmpty ? forTrait : balanced).map(\.0).randomElement(using: &random)
    }
}
