/// Words that hint at a trait, a core dynamic or a style label when a person uses them about themselves
/// ("I always plan ahead" → conscientiousness; "I try it out" → experiential learning). Weak evidence only.
public struct TraitCueLexicon: Sendable, Decodable {
    public struct Cue: Sendable, Decodable {
        public let term: String
        public let match: SentimentLexicon.MatchKind
        public let target: String
        /// +1: the word signals high; -1: low. Nil for labelled (categorical) targets.
        public let direction: Int?
        public let label: String?
    }

    /// A cue found in a text.
    public struct Hit: Sendable, Equatable {
        public let trait: TraitKey
        public let direction: Int?
        public let label: String?
        public let term: String
    }

    public let language: Language
    public let cues: [Cue]
    private let words: [String: [Cue]]
    private let prefixes: [(String, Cue)]

    private enum CodingKeys: String, CodingKey { case language, cues }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        language = try container.decode(Language.self, forKey: .language)
        cues = try container.decode([Cue].self, forKey: .cues)
        var words: [String: [Cue]] = [:]
        var prefixes: [(String, Cue)] = []
        for cue in cues {
            guard Self.traitKey(cue.target) != nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: .cues, in: container, debugDescription: "unknown cue target '\(cue.target)'")
            }
            let term = Tokenizer.normalize(cue.term)
            switch cue.match {
            case .word: words[term, default: []].append(cue)
            case .prefix: prefixes.append((term, cue))
            }
        }
        self.words = words
        self.prefixes = prefixes.sorted { $0.0.count > $1.0.count }
    }

    static func traitKey(_ target: String) -> TraitKey? {
        let parts = target.split(separator: "/").map(String.init)
        guard parts.count == 2, let category = TraitCategory(rawValue: parts[0]) else { return nil }
        let key = TraitKey(category, parts[1])
        return key.isKnown ? key : nil
    }

    public func hits(in tokens: [String]) -> [Hit] {
        tokens.flatMap { token -> [Hit] in
            var matched = words[token] ?? []
            // Every target's longest matching stem, so one token can speak to several targets.
            var seenTargets = Set(matched.map(\.target))
            for (stem, cue) in prefixes where token.hasPrefix(stem) && !seenTargets.contains(cue.target) {
                matched.append(cue)
                seenTargets.insert(cue.target)
            }
            return matched.compactMap { cue in
                Self.traitKey(cue.target).map {
                    Hit(trait: $0, direction: cue.direction, label: cue.label, term: cue.term)
                }
            }
        }
    }
}
