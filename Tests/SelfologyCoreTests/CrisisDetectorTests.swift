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

    static let detector: CrisisDetector = {
        do { return try ContentLibrary.bundled().crisis } catch { fatalError("crisis patterns must load: \(error)") }
    }()

    static func cases(_ language: Language) throws -> [Case] {
        let url = try #require(
            Bundle.module.url(forResource: "Fixtures/crisis-cases-\(language.rawValue)", withExtension: "json"))
        return try JSONDecoder().decode(CaseFile.self, from: Data(contentsOf: url)).cases
    }

    @Test("every crisis message is caught and no safe message is flagged", arguments: Language.allCases)
    func evaluationSet(language: Language) throws {
        let cases = try Self.cases(language)
        #expect(cases.filter(\.crisis).count >= 20 && cases.filter { !$0.crisis }.count >= 20)
        var truePositives = 0, falsePositives = 0, falseNegatives = 0
        for item in cases {
            let flagged = !Self.detector.categories(in: item.text).isEmpty
            switch (item.crisis, flagged) {
            case (true, true): truePositives += 1
            case (false, true):
                falsePositives += 1
                Issue.record("false alarm: \(item.text)")
            case (true, false):
                falseNegatives += 1
                Issue.record("missed crisis: \(item.text)")
            case (false, false): break
            }
        }
        let precision = Double(truePositives) / Double(max(1, truePositives + falsePositives))
        let recall = Double(truePositives) / Double(max(1, truePositives + falseNegatives))
        print("crisis \(language.rawValue): precision \(precision), recall \(recall) over \(cases.count) cases")
    }

    @Test("the category found is the one the case names, for most crisis messages", arguments: Language.allCases)
    func categories(language: Language) throws {
        let crises = try Self.cases(language).filter(\.crisis)
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
}
