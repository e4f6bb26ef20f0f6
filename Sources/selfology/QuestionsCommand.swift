import ArgumentParser
import SelfologyContent
import SelfologyCore

/// `selfology questions check|simulate`: tools for the people who write and tune the question bank.
struct QuestionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "questions",
        abstract: "Check the question bank, or watch Smart Mix choose for a simulated person.",
        subcommands: [Check.self, Simulate.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate the bundled bank and print its counts.")

        func run() throws {
            let bank = try ContentLibrary.bundled().bank
            let census = QuestionBankCheck.census(of: bank.questions)
            print("open questions: \(census.openCount), scale statements: \(census.scaleCount)\n")
            let depths = DepthLevel.allCases
            print(
                "domain".padding(toLength: 14, withPad: " ", startingAt: 0)
                    + depths.map { $0.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) }.joined())
            for domain in QuestionDomain.allCases {
                let row = depths.map {
                    String(census.byDomainDepth[domain]?[$0] ?? 0).padding(toLength: 10, withPad: " ", startingAt: 0)
                }
                print(domain.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0) + row.joined())
            }
            print(
                "\nenergy (open): "
                    + EnergyDynamics.allCases.map { "\($0.rawValue) \(census.byEnergy[$0] ?? 0)" }.joined(
                        separator: ", "))
            print(
                "traits: "
                    + BigFiveTrait.allCases.map { trait in
                        let counts = census.byTrait[trait] ?? (0, 0)
                        return "\(trait.rawValue) \(counts.items) (\(counts.reverse) reversed)"
                    }.joined(separator: ", "))
            let problems = QuestionBankCheck.problems(in: bank.questions)
            if problems.isEmpty {
                print("\nno problems found")
            } else {
                print("\n\(problems.count) problem(s):")
                problems.forEach { print("  \($0)") }
                throw ExitCode.failure
            }
        }
    }

    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the questions Smart Mix picks for a simulated person.")

        @Option(help: "terse, open or tiring") var person: SimulatedPerson.Temperament = .open
        @Option(help: "Sessions to simulate.") var sessions = 1
        @Option(help: "Answers per session.") var answers = 12
        @Option(help: "Selection seed.") var seed: UInt64 = 1
        @Option(help: "Language of the printed questions.") var language: Language = .en

        func run() throws {
            let bank = try ContentLibrary.bundled().bank
            let runs = SelectionSimulator.run(
                bank: bank, person: SimulatedPerson(person), personID: person.rawValue, sessions: sessions,
                targetAnswers: answers, seed: seed)
            for (index, steps) in runs.enumerated() {
                print("session \(index + 1) (\(person.rawValue), seed \(seed))")
                for (number, step) in steps.enumerated() {
                    let trust = String(format: "%.2f", step.trust)
                    switch step.kind {
                    case .asked(let question, let strategy, let outcome):
                        let kind = question.kind.isScale ? "scale" : question.domain.rawValue
                        print(
                            "\(String(number + 1).padding(toLength: 3, withPad: " ", startingAt: 0)) \(strategy.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) trust \(trust)  \(kind.padding(toLength: 13, withPad: " ", startingAt: 0)) \(question.depth.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(question.energy.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(outcome == .skipped ? "(skipped) " : "")\(question.text[language])"
                        )
                    case .breakOffered(let assessment, let choice):
                        print(
                            "--  break offered (\(assessment.signals.map(\.rawValue).joined(separator: ", "))) → \(choice.rawValue)"
                        )
                    case .exhausted:
                        print("--  no question left")
                    }
                }
                print("")
            }
        }
    }
}

extension SimulatedPerson.Temperament: ExpressibleByArgument {}
