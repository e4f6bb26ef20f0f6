/// The emotions the lexicons and analyzers speak of.
public enum Emotion: String, Codable, Sendable, CaseIterable {
    case joy, calm, hope, love, gratitude, pride
    case sadness, anger, fear, anxiety, shame, guilt, loneliness, tiredness
}

/// A sentiment lexicon in the bundled format: single-token terms matched whole or as a stem prefix (which
/// Russian morphology needs), negators that flip the next sentiment word within three tokens, and intensifiers
/// that scale the next one.
public struct SentimentLexicon: Sendable, Decodable {
    public enum MatchKind: String, Codable, Sendable { case word, prefix }

    public struct Entry: Codable, Sendable, Equatable {
        public let term: String
        public let match: MatchKind
        public let valence: Double
        public let emotion: Emotion?
    }

    public struct Modifier: Codable, Sendable, Equatable {
        public let term: String
        public let match: MatchKind
        public let factor: Double?
    }

    public let language: Language
    public let entries: [Entry]
    public let negators: [Modifier]
    public let intensifiers: [Modifier]

    private enum CodingKeys: String, CodingKey { case language, entries, negators, intensifiers }

    public init(language: Language, entries: [Entry], negators: [Modifier], intensifiers: [Modifier]) {
        self.language = language
        self.entries = entries
        self.negators = negators
        self.intensifiers = intensifiers
        index = Index(entries: entries, negators: negators, intensifiers: intensifiers)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            language: try container.decode(Language.self, forKey: .language),
            entries: try container.decode([Entry].self, forKey: .entries),
            negators: try container.decode([Modifier].self, forKey: .negators),
            intensifiers: try container.decode([Modifier].self, forKey: .intensifiers))
    }

    private let index: Index

    public func entry(for token: String) -> Entry? { index.lookup(token, in: index.entries) }
    public func isNegator(_ token: String) -> Bool { index.lookup(token, in: index.negators) != nil }
    public func intensity(of token: String) -> Double? { index.lookup(token, in: index.intensifiers)?.factor }

    /// Exact terms in a dictionary, stems sorted longest first so the most specific stem wins.
    private struct Index: Sendable {
        struct Table<Value: Sendable>: Sendable {
            var words: [String: Value] = [:]
            var prefixes: [(String, Value)] = []
        }

        let entries: Table<Entry>
        let negators: Table<Modifier>
        let intensifiers: Table<Modifier>

        init(entries: [Entry], negators: [Modifier], intensifiers: [Modifier]) {
            self.entries = Self.table(entries.map { ($0.term, $0.match, $0) })
            self.negators = Self.table(negators.map { ($0.term, $0.match, $0) })
            self.intensifiers = Self.table(intensifiers.map { ($0.term, $0.match, $0) })
        }

        static func table<Value>(_ items: [(String, MatchKind, Value)]) -> Table<Value> {
            var table = Table<Value>()
            for (term, match, value) in items {
                let term = Tokenizer.normalize(term)
                switch match {
                case .word: table.words[term] = value
                case .prefix: table.prefixes.append((term, value))
                }
            }
            table.prefixes.sort { $0.0.count > $1.0.count }
            return table
        }

        func lookup<Value>(_ token: String, in table: Table<Value>) -> Value? {
            if let value = table.words[token] { return value }
            return table.prefixes.first { token.hasPrefix($0.0) }?.1
        }
    }
}
