import Foundation
import SelfologyContent
import Testing

@testable import SelfologyCore

/// The detector guards most of its alternations so that only word starts pay for them. These tests hold it to
/// the plain, unguarded matching it replaced: same categories for every message of the evaluation sets, also with
/// words glued on either side.
@Suite("Crisis matching: guarded alternations")
struct CrisisMatchingTests {
    static let lexicons = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/SelfologyContent/Resources/lexicons").standardized

    static func bundledPatterns() throws -> [CrisisPatterns] {
        try Language.allCases.map { language in
            try JSONDecoder().decode(
                CrisisPatterns.self,
                from: Data(contentsOf: lexicons.appendingPathComponent("crisis-\(language.rawValue).json")))
        }
    }

    /// The matching the detector did before: one plain alternation per category and per cue family, idioms
    /// blanked first.
    struct PlainMatcher {
        struct Cues {
            let minimum: Int
            let families: [(isAnchor: Bool, expression: NSRegularExpression)]
        }
        let languages:
            [(
                exclusions: NSRegularExpression?, categories: [(CrisisCategory, NSRegularExpression)],
                cues: Cues?
            )]

        init(_ patterns: [CrisisPatterns]) throws {
            func alternation(_ list: [String]) throws -> NSRegularExpression? {
                list.isEmpty ? nil : try NSRegularExpression(pattern: list.map { "(?:\($0))" }.joined(separator: "|"))
            }
            languages = try patterns.map { language in
                (
                    try alternation(language.exclusions),
                    try language.categories.compactMap { name, list in
                        try alternation(list).map { (try #require(CrisisCategory(rawValue: name)), $0) }
                    },
                    try language.cues.map { cues in
                        Cues(
                            minimum: cues.minimumFamilies,
                            families: try cues.families.compactMap { name, list in
                                try alternation(list).map { (cues.anchors.contains(name), $0) }
                            })
                    }
                )
            }
        }

        func categories(in text: String) -> [CrisisCategory] {
            let normalized = Tokenizer.normalize(text)
            var hits: Set<CrisisCategory> = []
            for language in languages {
                let mutable = NSMutableString(string: normalized)
                for match in language.exclusions?.matches(
                    in: normalized, range: NSRange(normalized.startIndex..., in: normalized)) ?? []
                {
                    mutable.replaceCharacters(in: match.range, with: String(repeating: " ", count: match.range.length))
                }
                let blanked = mutable as String
                let range = NSRange(blanked.startIndex..., in: blanked)
                for (category, expression) in language.categories
                where expression.firstMatch(in: blanked, range: range) != nil {
                    hits.insert(category)
                }
                if let cues = language.cues {
                    let hit = cues.families.filter { $0.expression.firstMatch(in: blanked, range: range) != nil }
                    if hit.count >= cues.minimum && hit.contains(where: \.isAnchor) { hits.insert(.suicidalIntent) }
                }
            }
            return CrisisCategory.allCases.filter(hits.contains)
        }
    }

    static func evaluationTexts() throws -> [String] {
        try ["crisis-cases", "crisis-heldout"].flatMap { set in
            try Language.allCases.flatMap { try CrisisDetectorTests.cases(set, $0).map(\.text) }
        }
    }

    @Test("guarded matching finds exactly what plain matching finds, on every evaluation message and variants")
    func sameAsPlainMatching() async throws {
        let patterns = try Self.bundledPatterns()
        let detector = try CrisisDetector(patterns: patterns)
        let plain = try PlainMatcher(patterns)
        var compared = 0
        for text in try Self.evaluationTexts() {
            // A glued letter and quotes move the first word start and test the guard at word edges.
            for variant in [text, "x" + text, "«" + text + "»"] {
                #expect(detector.categories(in: variant) == plain.categories(in: variant), "\(variant)")
                compared += 1
                // Plain matching costs milliseconds a message, and this test runs beside the servers' clients on
                // a two-thread pool: give their tasks a turn after each message.
                await Task.yield()
            }
        }
        #expect(compared > 600)
    }

    @Test("the same on messages made of the evaluation sets' words shuffled across languages")
    func sameAsPlainMatchingOnShuffledWords() async throws {
        let patterns = try Self.bundledPatterns()
        let detector = try CrisisDetector(patterns: patterns)
        let plain = try PlainMatcher(patterns)
        let words = try Self.evaluationTexts().flatMap { $0.split(separator: " ").map(String.init) }
        var random = SeededRandom(seed: 2026)
        var flagged = 0
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 1...14, using: &random)).map { _ in words.randomElement(using: &random)! }
                .joined(separator: Bool.random(using: &random) ? " " : ", ")
            let found = detector.categories(in: text)
            #expect(found == plain.categories(in: text), "\(text)")
            if !found.isEmpty { flagged += 1 }
            await Task.yield()
        }
        // Both outcomes are exercised: shuffled crisis words still hit now and then.
        #expect(flagged > 5 && flagged < 295)
    }

    @Test("a pattern is guarded only when every branch opens with \\b, after lookbehinds")
    func wordStartClassification() {
        #expect(PatternAlternation.beginsAtWordStart("\\bkill\\s+myself"))
        #expect(PatternAlternation.beginsAtWordStart("(?<!\\bне\\s)(?<!\\bне)\\bубью"))
        #expect(!PatternAlternation.beginsAtWordStart("^\\W*kms\\W*$"))
        #expect(PatternAlternation.beginsAtWordStart("\\bсамоповреж\\w*|\\bсамоистяза\\w*"))
        #expect(PatternAlternation.beginsAtWordStart("\\b(?:a|b)[|(]x"))
        #expect(!PatternAlternation.beginsAtWordStart("таблет\\w*"))
        #expect(!PatternAlternation.beginsAtWordStart("\\bself\\s*harm|харм"))
        #expect(!PatternAlternation.beginsAtWordStart("(?:\\b(?:my|the)\\s+)?\\bdad"))
        #expect(!PatternAlternation.beginsAtWordStart("(?<=x)harm"))
    }

    @Test("behind the guard each branch loses its opening \\b, and only that one")
    func openingBoundaryDropped() {
        #expect(PatternAlternation.withoutOpeningBoundary("\\bkill\\s+myself\\b") == "kill\\s+myself\\b")
        #expect(
            PatternAlternation.withoutOpeningBoundary("(?<!\\bне\\s)(?<!\\bне)\\bубью|\\b(?:a|\\bb)")
                == "(?<!\\bне\\s)(?<!\\bне)убью|(?:a|\\bb)")
    }

    @Test("a pattern that may begin inside a word still matches there")
    func unguardedPatternsMatchInsideWords() throws {
        let detector = try CrisisDetector(patterns: [
            CrisisPatterns(
                language: .ru, categories: ["self_harm": ["\\bрежу\\s+руки", "самоповрежд\\w*"]], exclusions: [])
        ])
        #expect(detector.categories(in: "это несамоповреждение") == [.selfHarm])
        #expect(detector.categories(in: "я режу руки") == [.selfHarm])
        #expect(detector.categories(in: "янережу руки").isEmpty)
    }
}
