import Foundation

/// The co-occurrence layer of one language's crisis patterns: families of cues to indirect suicidal intent
/// (hopelessness, feeling a burden, farewells, means, ...). One cue says little: "I'm so tired of all this" is
/// ordinary sadness. Cues of several families together are what indirect messages in a person's own words share
/// where no single pattern fits ("sorted out who gets my bike" with "nobody will have to worry about me").
public struct CrisisCues: Decodable, Sendable {
    /// Family name → ICU regular expressions on the lowercased text, as the category patterns.
    public let families: [String: [String]]
    /// How many different families must be hit.
    public let minimumFamilies: Int
    /// At least one hit family must be one of these: families that point at an ending rather than at pain.
    public let anchors: [String]

    enum CodingKeys: String, CodingKey {
        case families, anchors
        case minimumFamilies = "minimum_families"
    }

    public init(families: [String: [String]], minimumFamilies: Int, anchors: [String]) {
        self.families = families
        self.minimumFamilies = minimumFamilies
        self.anchors = anchors
    }

    var allPatterns: [String] { families.values.flatMap { $0 } }

    /// The cues compiled for matching; each family one alternation, behind one screen for the text with none.
    struct Compiled: Sendable {
        let minimumFamilies: Int
        let families: [(name: String, isAnchor: Bool, alternation: PatternAlternation)]
        let screen: FirstLetterScreen

        init(_ cues: CrisisCues, language: Language, compile: ([String]) throws -> PatternAlternation?) throws {
            // One family could never be enough, which is the point of this layer.
            guard cues.minimumFamilies >= 2 else {
                throw CrisisPatternError.invalidCues(language, "minimum_families must be at least 2")
            }
            if let unknown = cues.anchors.first(where: { cues.families[$0] == nil }) {
                throw CrisisPatternError.invalidCues(language, "anchor '\(unknown)' is no family")
            }
            minimumFamilies = cues.minimumFamilies
            families = try cues.families.sorted { $0.key < $1.key }.compactMap { name, patterns in
                try compile(patterns).map { (name, cues.anchors.contains(name), $0) }
            }
            screen = try FirstLetterScreen(cues.allPatterns)
        }

        /// Whether the text holds cues of enough families, one of them an anchor.
        func flag(_ text: String) -> Bool {
            guard screen.mayMatch(text) else { return false }
            var (hits, anchored) = (0, false)
            for (index, family) in families.enumerated() {
                // Not enough families left to reach the minimum: stop early.
                guard hits + (families.count - index) >= minimumFamilies else { return false }
                guard family.alternation.matchesAnywhere(in: text) else { continue }
                hits += 1
                anchored = anchored || family.isAnchor
                if hits >= minimumFamilies && anchored { return true }
            }
            return false
        }
    }
}
