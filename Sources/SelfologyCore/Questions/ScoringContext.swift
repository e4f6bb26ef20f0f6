/// Soft preferences of each strategy: how well a question fits the moment. Hard rules are applied before.
struct ScoringContext {
    let coveredInSession: Set<QuestionDomain>
    let everAnswered: Set<QuestionDomain>
    /// The person's most engaged domains: highest mean answer quality, at most three.
    let topDomains: Set<QuestionDomain>
    let lastAsked: Question?
    /// The person was offered a break recently and chose to go on: keep it light.
    let gentle: Bool

    init(history: SelectionHistory, bank: QuestionBank, lastAsked: Question?) {
        coveredInSession = Set(history.session.compactMap { bank[$0.questionID]?.domain })
        var qualityByDomain: [QuestionDomain: [Double]] = [:]
        for answer in history.allAnswered {
            guard let question = bank[answer.questionID], !question.kind.isScale, let quality = answer.quality else {
                continue
            }
            qualityByDomain[question.domain, default: []].append(quality)
        }
        everAnswered = Set(qualityByDomain.keys)
        var means: [(domain: QuestionDomain, mean: Double)] = []
        for (domain, qualities) in qualityByDomain {
            means.append((domain, qualities.reduce(0, +) / Double(qualities.count)))
        }
        means.sort { lhs, rhs in lhs.mean == rhs.mean ? lhs.domain.rawValue < rhs.domain.rawValue : lhs.mean > rhs.mean
        }
        topDomains = Set(means.prefix(3).map { $0.domain })
        self.lastAsked = lastAsked
        gentle = history.lastBreakOfferAt.map { history.answeredCount - $0 < SmartMix.breakCooldown } ?? false
    }

    func score(_ question: Question, strategy: SelectionStrategy) -> Int {
        let fresh = !coveredInSession.contains(question.domain)
        var score: Int
        let depth = question.depth
        let energy = question.energy
        // Domains never answered in any session: later sessions explore what earlier ones did not reach.
        let unexplored = !everAnswered.contains(question.domain)
        switch strategy {
        case .entry:
            score = depth == .surface ? 3 : 0
            score += energy == .opening ? 3 : (energy == .neutral ? 1 : 0)
            score += unexplored ? 2 : (fresh ? 1 : 0)
        case .exploration:
            score = unexplored ? 3 : 0
            score += fresh ? 2 : 0
            score += depth == .conscious ? 2 : (depth == .surface ? 1 : 0)
            score += (energy == .processing || energy == .neutral) ? 1 : 0
        case .deepening:
            // Deeper is better here, as far as trust allows (eligibility already enforces the limit).
            let depthScore: Int =
                switch depth {
                case .surface: 0
                case .conscious: 1
                case .edge: 2
                case .shadow, .core: 3
                }
            score = (topDomains.contains(question.domain) ? 3 : 0) + depthScore
            // Heavy questions are part of going deeper; the hard rules keep them rare and cushioned.
            score += (energy == .processing || energy == .heavy) ? 1 : 0
        case .balancing:
            score =
                switch energy {
                case .healing: 3
                case .neutral: 2
                case .opening: 1
                case .processing, .heavy: 0
                }
            score += depth <= .conscious ? 1 : 0
            score += topDomains.contains(question.domain) ? 1 : 0
        }
        if lastAsked?.energy == .heavy && question.energy == .healing { score += 2 }
        if gentle {
            score += (question.energy == .healing || question.energy == .opening) ? 2 : 0
            score -= question.depth >= .edge ? 2 : 0
        }
        return score
    }
}
