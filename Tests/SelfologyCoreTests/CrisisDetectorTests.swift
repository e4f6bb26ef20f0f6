import Foundation
import SelfologyContent
import SelfologyCore
import Testing

/// Measured against an evaluation set written independently of the patterns (Fixtures/crisis-cases-*.json):
/// 40 crisis messages and 40 sad-but-safe or idiomatic controls per language.
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
        var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
        var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
    }

    static func measure(_ cases: [Case]) -> Measurement {
        var result = Measurement()
        for item in cases {
            switch (item.crisis, !detector.categories(in: item.text).isEmpty) {
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

    /// A set written after the patterns were tuned, by someone who saw neither: how the detector generalises.
    /// The floors guard against regressions; the figures are printed and go into the project's notes.
    @Test("the held-out set: generalisation stays above its floor", arguments: Language.allCases)
    func heldOutSet(language: Language) throws {
        let result = Self.measure(try Self.cases("crisis-heldout", language))
        print("crisis held-out \(language.rawValue): precision \(result.precision), recall \(result.recall)")
        #expect(result.recall >= 0.65, "missed: \(result.misses)")
        #expect(result.precision >= 0.75, "false alarms: \(result.falseAlarms)")
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
