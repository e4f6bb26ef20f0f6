import Foundation

/// Checks the bank's content rules and counts it; `selfology questions check` prints both.
public enum QuestionBankCheck {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let questionID: QuestionID?
        public let message: String
        public var description: String { questionID.map { "\($0): \(message)" } ?? message }
    }

    public struct Census: Sendable {
        public var byDomainDepth: [QuestionDomain: [DepthLevel: Int]] = [:]
        public var byEnergy: [EnergyDynamics: Int] = [:]
        public var byTrait: [BigFiveTrait: (items: Int, reverse: Int)] = [:]
        public var openCount = 0
        public var scaleCount = 0
    }

    /// Minimums the bank must meet (issue 3 of the project).
    public static let minimumOpen = 150
    public static let minimumScalePerTrait = 10

    public static func problems(in questions: [Question]) -> [Problem] {
        var problems: [Problem] = []
        var seen: Set<QuestionID> = []
        var texts: Set<String> = []
        for question in questions {
            let id = question.id
            if !seen.insert(id).inserted { problems.append(.init(questionID: id, message: "duplicate id")) }
            for language in Language.allCases {
                let text = question.text[language].trimmingCharacters(in: .whitespacesAndNewlines)
                if text.isEmpty { problems.append(.init(questionID: id, message: "no \(language.rawValue) text")) }
                if !texts.insert("\(language):\(text.lowercased())").inserted, !text.isEmpty {
                    problems.append(
                        .init(questionID: id, message: "\(language.rawValue) text repeats another question"))
                }
            }
            if !(1...3).contains(question.safety) {
                problems.append(.init(questionID: id, message: "safety \(question.safety) is outside 1...3"))
            }
            if question.energy == .heavy && question.depth < .shadow {
                problems.append(.init(questionID: id, message: "HEAVY questions belong at SHADOW or CORE depth"))
            }
            if question.kind.isScale && question.depth > .conscious {
                problems.append(.init(questionID: id, message: "scale statements stay at SURFACE or CONSCIOUS"))
            }
        }
        let census = census(of: questions)
        if census.openCount < minimumOpen {
            problems.append(.init(questionID: nil, message: "\(census.openCount) open questions, need \(minimumOpen)"))
        }
        for domain in QuestionDomain.allCases {
            for depth in DepthLevel.allCases where (census.byDomainDepth[domain]?[depth] ?? 0) == 0 {
                problems.append(
                    .init(questionID: nil, message: "no open \(depth.rawValue) question in \(domain.rawValue)"))
            }
        }
        for trait in BigFiveTrait.allCases {
            let counts = census.byTrait[trait] ?? (0, 0)
            if counts.items < minimumScalePerTrait {
                problems.append(
                    .init(
                        questionID: nil,
                        message: "\(counts.items) \(trait.rawValue) statements, need \(minimumScalePerTrait)"))
            }
            if counts.items > 0 && abs(Double(counts.reverse) / Double(counts.items) - 0.5) > 0.2 {
                problems.append(
                    .init(
                        questionID: nil,
                        message:
                            "\(trait.rawValue): \(counts.reverse) of \(counts.items) reverse-keyed, keep about half"))
            }
        }
        if Double(census.byEnergy[.healing] ?? 0) < Double(census.openCount) * 0.1 {
            problems.append(.init(questionID: nil, message: "too few HEALING questions to follow HEAVY ones"))
        }
        return problems
    }

    public static func census(of questions: [Question]) -> Census {
        var census = Census()
        for question in questions {
            switch question.kind {
            case .text:
                census.openCount += 1
                census.byDomainDepth[question.domain, default: [:]][question.depth, default: 0] += 1
                census.byEnergy[question.energy, default: 0] += 1
            case .scale(let trait, let reverse):
                census.scaleCount += 1
                let counts = census.byTrait[trait] ?? (0, 0)
                census.byTrait[trait] = (counts.items + 1, counts.reverse + (reverse ? 1 : 0))
            }
        }
        return census
    }
}
