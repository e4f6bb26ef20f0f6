import Foundation
import SelfologyContent
import SelfologyCore
import Testing

/// Two sets per language, each written by someone who saw neither the patterns nor the other set. The development
/// set (Fixtures/crisis-cases-*.json: 80 crisis messages and 80 sad-but-safe or idiomatic controls, two sets of
/// 40 + 40 written a round apart) is what the patterns and the cues were tuned on. The held-out set
/// (crisis-heldout-*.json: 60 crisis messages, more indirect, and 60 controls) was written after the patterns'
/// last tuning and never tuned on; the cues' authors did not see it.
@Suite("Crisis detection")
struct CrisisDetectorTests {
    struct Case: Decodable {
        let text: String
        let crisis: Bool
        let category: CrisisCategory?
    }

    struct CaseFile: Decodable { let cases: [Case] }

    static let detector = BundledContent.library.crisis

    static func cases(_ set: String, _ language: Language) throws -> [Case] {
        let url = try #require(
            Bundle.module.url(forResource: "Fixtures/\(set)-\(language.rawValue)", withExtension: "json"))
        return try JSONDecoder().decode(CaseFile.self, from: Data(contentsOf: url)).cases
    }

    struct Measurement {
        var truePositives = 0, falsePositives = 0, falseNegatives = 0
        var misses: [String] = [], falseAlarms: [String] = []
        var caughtByCategory: [CrisisCategory: (caught: Int, of: Int)] = [:]
        var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
        var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
    }

    static func measure(_ cases: [Case]) -> Measurement {
        var result = Measurement()
        for item in cases {
            let found = !detector.categories(in: item.text).isEmpty
            if let category = item.category {
                let (caught, of) = result.caughtByCategory[category] ?? (0, 0)
                result.caughtByCategory[category] = (caught + (found ? 1 : 0), of + 1)
            }
            switch (item.crisis, found) {
            case (true, true): result.truePositives += 1
            case (false, true):
                result.falsePositives += 1
                result.falseAlarms.append(item.text)
            case (true, false):
                result.falseNegatives += 1
                result.misses.append(item.text)
            case (false, false): break
            }
        }
        return result
    }

    @Test("the development set: every crisis caught, no safe message flagged", arguments: Language.allCases)
    func developmentSet(language: Language) throws {
        let cases = try Self.cases("crisis-cases", language)
        #expect(cases.filter(\.crisis).count >= 20 && cases.filter { !$0.crisis }.count >= 20)
        let result = Self.measure(cases)
        for text in result.misses { Issue.record("missed crisis: \(text)") }
        for text in result.falseAlarms { Issue.record("false alarm: \(text)") }
    }

    /// How the detector generalises to phrasings it was not tuned on. The floors guard against regressions (one
    /// message below today's figures); the figures are printed and go into the project's notes. Only counts are
    /// printed, so that reading the output does not turn the set into one tuned on.
    @Test("the held-out set: generalisation stays above its floor", arguments: Language.allCases)
    func heldOutSet(language: Language) throws {
        let result = Self.measure(try Self.cases("crisis-heldout", language))
        let categories = CrisisCategory.allCases.compactMap { category in
            result.caughtByCategory[category].map { "\(category.rawValue) \($0.caught)/\($0.of)" }
        }
        print(
            "crisis held-out \(language.rawValue): precision \(result.precision), recall \(result.recall); "
                + categories.joined(separator: ", "))
        #expect(result.recall >= 0.5, "\(result.misses.count) crisis messages missed")
        #expect(result.precision >= 0.78, "\(result.falseAlarms.count) false alarms")
    }

    @Test("the category found is the one the case names, for most crisis messages", arguments: Language.allCases)
    func categories(language: Language) throws {
        let crises = try Self.cases("crisis-cases", language).filter(\.crisis)
        let matching = crises.filter { item in
            item.category.map { Self.detector.categories(in: item.text).contains($0) } ?? false
        }
        #expect(Double(matching.count) >= Double(crises.count) * 0.75)
    }

    @Test("a crisis is found whichever language the person chose")
    func crossLanguage() {
        #expect(Self.detector.categories(in: "я не хочу больше жить") == [.suicidalIntent])
        #expect(Self.detector.categories(in: "I want to kill myself") == [.suicidalIntent])
        #expect(Self.detector.categories(in: "I failed my exam and feel awful").isEmpty)
        #expect(Self.detector.categories(in: "умираю от смеха").isEmpty)
    }

    @Test("cues flag suicidal intent only together: enough families, one of them an anchor, idioms blanked first")
    func cues() throws {
        let cues = CrisisCues(
            families: [
                "farewell": ["\\bgoodbye\\s+to\\s+everyone\\b"], "ending": ["\\bwon't\\s+be\\s+around\\b"],
                "hopelessness": ["\\bno\\s+future\\b"], "timing": ["\\btonight\\b"],
            ], minimumFamilies: 2, anchors: ["farewell", "ending"])
        let detector = try CrisisDetector(patterns: [
            CrisisPatterns(
                language: .en, categories: ["self_harm": ["\\bcut\\s+myself\\b"]],
                exclusions: ["\\bno\\s+future\\s+in\\s+this\\s+job\\b"], cues: cues)
        ])
        #expect(detector.categories(in: "Goodbye to everyone. I won't be around much longer.") == [.suicidalIntent])
        #expect(detector.categories(in: "There's no future. Goodbye to everyone.") == [.suicidalIntent])
        #expect(detector.categories(in: "no future, and tonight is the worst").isEmpty, "no anchor among them")
        #expect(detector.categories(in: "Goodbye to everyone, see you after the holidays!").isEmpty, "one family")
        #expect(detector.categories(in: "Goodbye to everyone: there's no future in this job").isEmpty, "an idiom")
        #expect(
            detector.categories(in: "I cut myself, and I won't be around tonight")
                == [.suicidalIntent, .selfHarm])

        func invalid(_ cues: CrisisCues) {
            #expect(throws: CrisisPatternError.self) {
                try CrisisDetector(patterns: [
                    CrisisPatterns(language: .en, categories: [:], exclusions: [], cues: cues)
                ])
            }
        }
        invalid(CrisisCues(families: ["a": ["\\ba\\b"]], minimumFamilies: 1, anchors: ["a"]))
        invalid(CrisisCues(families: ["a": ["\\ba\\b"], "b": ["\\bb\\b"]], minimumFamilies: 2, anchors: ["c"]))
        invalid(CrisisCues(families: ["a": ["\\bA\\b"], "b": ["\\bb\\b"]], minimumFamilies: 2, anchors: ["a"]))
    }

    @Test("patterns must be lower case outside escapes, since matching is case-sensitive on lowercased text")
    func lowerCasePatterns() throws {
        func patterns(_ pattern: String) -> CrisisPatterns {
            CrisisPatterns(language: .en, categories: ["self_harm": [pattern]], exclusions: [])
        }
        #expect(throws: CrisisPatternError.self) { try CrisisDetector(patterns: [patterns("\\bHurt\\s+myself")]) }
        let detector = try CrisisDetector(patterns: [patterns("\\bhurt\\W+my\\Bself\\b")])
        #expect(detector.categories(in: "I want to HURT Myself") == [.selfHarm])
    }
}
