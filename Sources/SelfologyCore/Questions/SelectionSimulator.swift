/// A simulated person answering Smart Mix, to see (and test) how selection behaves for different people without
/// running the services. Pure: randomness comes from the seed.
public struct SimulatedPerson: Sendable {
    public enum Temperament: String, Sendable, CaseIterable {
        /// A few words, fast, skips heavy questions half the time; ends a session when offered a break.
        case terse
        /// Long, reflective answers; goes on after a break offer.
        case open
        /// Starts open, then answers get short and fast and they say they are tired.
        case tiring
    }

    public let temperament: Temperament

    public init(_ temperament: Temperament) { self.temperament = temperament }

    /// The person's answer to the `index`-th answer of the session (0-based), or nil for a skip.
    func respond(to question: Question, index: Int, random: inout SeededRandom) -> AskedQuestion {
        func draw(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &random) }
        let id = question.id
        if question.kind.isScale {
            return AskedQuestion(
                questionID: id, outcome: .answered, quality: 1, valence: 0, wordCount: 1, responseSeconds: draw(3...10))
        }
        switch temperament {
        case .terse:
            if question.energy == .heavy && draw(0...1) < 0.5 {
                return AskedQuestion(questionID: id, outcome: .skipped)
            }
            return AskedQuestion(
                questionID: id, outcome: .answered, quality: draw(0.05...0.2), valence: draw(-0.2...0.2),
                wordCount: Int(draw(1...3)), responseSeconds: draw(4...9))
        case .open:
            return AskedQuestion(
                questionID: id, outcome: .answered, quality: draw(0.6...0.9), valence: draw(-0.3...0.6),
                wordCount: Int(draw(20...60)), responseSeconds: draw(40...120))
        case .tiring where index < 4:
            return AskedQuestion(
                questionID: id, outcome: .answered, quality: draw(0.5...0.7), valence: draw(0.2...0.5),
                wordCount: Int(draw(15...30)), responseSeconds: draw(30...60))
        case .tiring:
            return AskedQuestion(
                questionID: id, outcome: .answered, quality: draw(0.05...0.15), valence: draw(-0.5 ... -0.2),
                wordCount: Int(draw(1...2)), responseSeconds: draw(2...3), saidTired: index >= 6)
        }
    }

    var choiceWhenOfferedBreak: BreakChoice {
        switch temperament {
        case .terse: .finish
        case .open: .goOn
        case .tiring: .pause
        }
    }
}

/// One step of a simulated session.
public struct SimulationStep: Sendable {
    public enum Kind: Sendable {
        case asked(Question, SelectionStrategy, AskedQuestion.Outcome), breakOffered(FatigueAssessment, BreakChoice),
            exhausted
    }
    public let kind: Kind
    /// Trust at the moment of the decision.
    public let trust: Double
}

public enum SelectionSimulator {
    /// Runs `sessions` sessions of up to `targetAnswers` answers each; returns each session's steps.
    public static func run(
        bank: QuestionBank, person: SimulatedPerson, personID: String, sessions: Int, targetAnswers: Int, seed: UInt64
    ) -> [[SimulationStep]] {
        let mix = SmartMix(bank: bank)
        var earlier: [AskedQuestion] = []
        var result: [[SimulationStep]] = []
        for sessionIndex in 0..<sessions {
            var session: [AskedQuestion] = []
            var steps: [SimulationStep] = []
            var breakOffers = 0
            var lastOffer: Int?
            var answers = SeededRandom(seed: seed, mixing: "answers:\(personID):\(sessionIndex)")
            loop: while session.filter({ $0.outcome == .answered }).count < targetAnswers
                && steps.count < targetAnswers * 3
            {
                let history = SelectionHistory(
                    session: session, earlier: earlier, targetAnswers: targetAnswers, breakOffers: breakOffers,
                    lastBreakOfferAt: lastOffer)
                var random = SeededRandom(seed: seed, mixing: "\(personID):\(sessionIndex)#\(session.count)")
                let trust = TrustModel.trust(history) { bank[$0]?.kind.isScale ?? false }
                switch mix.decide(history, using: &random) {
                case .ask(let question, let strategy):
                    let answer = person.respond(to: question, index: history.answeredCount, random: &answers)
                    session.append(answer)
                    steps.append(SimulationStep(kind: .asked(question, strategy, answer.outcome), trust: trust))
                case .offerBreak(let assessment):
                    let choice = person.choiceWhenOfferedBreak
                    steps.append(SimulationStep(kind: .breakOffered(assessment, choice), trust: trust))
                    breakOffers += 1
                    lastOffer = history.answeredCount
                    if choice != .goOn { break loop }
                case .exhausted:
                    steps.append(SimulationStep(kind: .exhausted, trust: trust))
                    break loop
                }
            }
            earlier += session
            result.append(steps)
        }
        return result
    }
}
