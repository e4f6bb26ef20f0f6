import SelfologyContent
import SelfologyCore
import Testing

@Suite("Smart Mix rules hold for every simulated person and seed")
struct SmartMixPropertyTests {
    static let bank = BundledContent.library.bank
    static let seeds: [UInt64] = Array(1...40)
    static let target = 10

    /// (temperament, seed) → three sessions of steps.
    static let runs: [(SimulatedPerson.Temperament, UInt64, [[SimulationStep]])] = {
        SimulatedPerson.Temperament.allCases.flatMap { temperament in
            seeds.map { seed in
                (
                    temperament, seed,
                    SelectionSimulator.run(
                        bank: bank, person: SimulatedPerson(temperament), personID: "\(temperament)-\(seed)",
                        sessions: 3,
                        targetAnswers: target, seed: seed)
                )
            }
        }
    }()

    static func asked(_ steps: [SimulationStep]) -> [(question: Question, strategy: SelectionStrategy, trust: Double)] {
        steps.compactMap { step in
            if case .asked(let question, let strategy, _) = step.kind { return (question, strategy, step.trust) }
            return nil
        }
    }

    @Test("no question is ever asked twice to one person, across sessions and after skips")
    func noRepeats() {
        for (_, _, sessions) in Self.runs {
            let ids = sessions.flatMap { Self.asked($0).map(\.question.id) }
            #expect(Set(ids).count == ids.count)
        }
    }

    @Test("HEAVY: never twice in a row, at most two a session, HEALING or NEUTRAL after, never last")
    func energyRules() {
        var heavySeen = 0
        for (temperament, seed, sessions) in Self.runs {
            for steps in sessions {
                let energies = Self.asked(steps).map(\.question.energy)
                heavySeen += energies.filter { $0 == .heavy }.count
                #expect(energies.filter { $0 == .heavy }.count <= SmartMix.maxHeavyPerSession)
                for (previous, next) in zip(energies, energies.dropFirst()) where previous == .heavy {
                    #expect(next == .healing || next == .neutral, "\(temperament) seed \(seed): \(next) after HEAVY")
                }
                #expect(energies.last != .heavy, "\(temperament) seed \(seed): session ended on HEAVY")
            }
        }
        #expect(heavySeen > 0, "HEAVY questions do occur once trust allows")
    }

    @Test("depth and sensitivity never exceed what the person's trust allows")
    func depthFollowsTrust() {
        for (_, _, sessions) in Self.runs {
            for (question, _, trust) in sessions.flatMap(Self.asked) {
                #expect(question.depth <= TrustModel.maxDepth(trust: trust))
                #expect(question.safety <= TrustModel.maxSafety(trust: trust))
            }
        }
    }

    @Test("strategies run ENTRY → EXPLORATION → DEEPENING → BALANCING, and all four occur in a full session")
    func strategiesInOrder() {
        let order = SelectionStrategy.allCases
        for (temperament, _, sessions) in Self.runs {
            for steps in sessions {
                let strategies = Self.asked(steps).map(\.strategy)
                let ranks = strategies.compactMap { order.firstIndex(of: $0) }
                #expect(ranks == ranks.sorted())
                if temperament == .open { #expect(Set(strategies) == Set(order)) }
            }
        }
    }

    @Test("every domain is reachable, and an open person meets at least nine domains within three sessions")
    func domainsReachable() {
        let all = Set(Self.runs.flatMap { $0.2.flatMap { Self.asked($0).map(\.question.domain) } })
        #expect(all == Set(QuestionDomain.allCases))
        for (temperament, _, sessions) in Self.runs where temperament == .open {
            let domains = Set(
                sessions.flatMap { Self.asked($0).filter { !$0.question.kind.isScale }.map(\.question.domain) })
            #expect(domains.count >= 9)
        }
    }

    @Test("a ten-answer session measures all five traits with one statement each")
    func scaleInterleaving() {
        for (temperament, _, sessions) in Self.runs where temperament == .open {
            let first = Self.asked(sessions[0])
            let traits = first.compactMap { item -> BigFiveTrait? in
                if case .scale(let trait, _) = item.question.kind { return trait }
                return nil
            }
            #expect(first.count == Self.target)
            #expect(traits.count == 5 && Set(traits) == Set(BigFiveTrait.allCases))
        }
    }

    @Test("trust shapes the path: an open person goes deeper than a terse one")
    func terseVersusOpen() {
        func deepest(_ temperament: SimulatedPerson.Temperament) -> DepthLevel {
            Self.runs.filter { $0.0 == temperament }
                .flatMap { $0.2.flatMap(Self.asked) }.map(\.question.depth).max() ?? .surface
        }
        #expect(deepest(.terse) <= .conscious)
        #expect(deepest(.open) == .core)
    }

    @Test("fatigue changes the flow: a tiring person is offered a break and the session stops at their choice")
    func fatigueChangesFlow() {
        for (temperament, seed, sessions) in Self.runs where temperament == .tiring {
            let first = sessions[0]
            guard case .breakOffered(let assessment, .pause) = first.last?.kind else {
                Issue.record("seed \(seed): no break offered to a tiring person")
                continue
            }
            #expect(assessment.isFatigued && !assessment.signals.isEmpty)
            #expect(Self.asked(first).count < Self.target)
        }
        for (temperament, _, sessions) in Self.runs where temperament == .open {
            #expect(!sessions.flatMap { $0 }.contains { if case .breakOffered = $0.kind { true } else { false } })
        }
    }

    @Test("the same seed and history give the same path; another seed gives another")
    func deterministic() {
        func path(_ seed: UInt64) -> [QuestionID] {
            SelectionSimulator.run(
                bank: Self.bank, person: SimulatedPerson(.open), personID: "p", sessions: 2, targetAnswers: 10,
                seed: seed
            )
            .flatMap { Self.asked($0).map(\.question.id) }
        }
        #expect(path(7) == path(7))
        #expect(path(7) != path(8))
    }

    @Test("the bundled bank passes its own check")
    func bankIsValid() {
        #expect(QuestionBankCheck.problems(in: Self.bank.questions) == [])
    }
}
