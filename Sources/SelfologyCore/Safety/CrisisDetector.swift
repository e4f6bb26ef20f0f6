import Foundation

/// What a crisis message is about.
public enum CrisisCategory: String, Codable, Sendable, CaseIterable {
    case suicidalIntent = "suicidal_intent"
    case selfHarm = "self_harm"
    case harmToOthers = "harm_to_others"
    case acuteAbuse = "acute_abuse"
}

/// The bundled pattern file of one language: ICU regular expressions per category, exclusions (idioms such as
/// "killing time" or "умираю от смеха") that are blanked out before the categories are matched, and cues whose
/// co-occurrence means suicidal intent where no pattern fits (`CrisisCues`).
public struct CrisisPatterns: Decodable, Sendable {
    public let language: Language
    public let categories: [String: [String]]
    public let exclusions: [String]
    public let cues: CrisisCues?

    public init(
        language: Language, categories: [String: [String]], exclusions: [String], cues: CrisisCues? = nil
    ) {
        self.language = language
        self.categories = categories
        self.exclusions = exclusions
        self.cues = cues
    }
}

public enum CrisisPatternError: Error, CustomStringConvertible {
    case unknownCategory(String, Language)
    case invalidPattern(String, Language, String)
    case invalidCues(Language, String)

    public var description: String {
        switch self {
        case .unknownCategory(let name, let language): "crisis-\(language.rawValue): unknown category '\(name)'"
        case .invalidPattern(let pattern, let language, let reason):
            "crisis-\(language.rawValue): pattern does not compile (\(reason)): \(pattern)"
        case .invalidCues(let language, let reason): "crisis-\(language.rawValue): cues: \(reason)"
        }
    }
}

/// Checks every message and answer for signs that the person may be in danger, before anything else happens
/// to it. Missing a crisis is far worse than a false alarm, so the patterns lean towards triggering, while
/// idioms and ordinary sadness are excluded. Both languages are always checked: people do not always write in
/// the language they chose.
public struct CrisisDetector: Sendable {
    private let compiled: [CompiledLanguage]

    public init(patterns: [CrisisPatterns]) throws {
        compiled = try patterns.map(CompiledLanguage.init)
    }

    /// The alphabet a language's patterns all need a letter of (text without one skips that language), or nil
    /// when some pattern might match without one.
    public func requiredScript(of language: Language) -> LetterScript? {
        compiled.first { $0.language == language }?.script
    }

    /// The categories the text hits, in catalog order; empty when the message is safe.
    public func categories(in text: String) -> [CrisisCategory] {
        let normalized = Tokenizer.normalize(text)
        var hits: Set<CrisisCategory> = []
        for language in compiled { hits.formUnion(language.categories(in: normalized)) }
        return CrisisCategory.allCases.filter(hits.contains)
    }

    /// One language's patterns, each category joined into alternations so a message costs a handful of regex
    /// scans rather than hundreds.
    private struct CompiledLanguage: Sendable {
        let language: Language
        let exclusions: PatternAlternation?
        let categories: [(CrisisCategory, PatternAlternation)]
        let cues: CrisisCues.Compiled?
        /// Exclusions only blank text out, so they cannot make a match possible: only the categories and cues count.
        let script: LetterScript?
        /// All categories' patterns at once, and the exclusions, for the quick "nothing here" most messages get (the
        /// cues have their own).
        let screen: FirstLetterScreen
        let exclusionScreen: FirstLetterScreen

        init(_ patterns: CrisisPatterns) throws {
            language = patterns.language
            let all = patterns.categories.values.flatMap { $0 } + (patterns.cues?.allPatterns ?? [])
            script = LetterScript.allCases.first { script in !all.isEmpty && all.allSatisfy(script.isRequired) }
            exclusions = try Self.alternation(patterns.exclusions, language: patterns.language)
            categories = try patterns.categories.sorted { $0.key < $1.key }.compactMap { name, list in
                guard let category = CrisisCategory(rawValue: name) else {
                    throw CrisisPatternError.unknownCategory(name, patterns.language)
                }
                return try Self.alternation(list, language: patterns.language).map { (category, $0) }
            }
            cues = try patterns.cues.map { cues in
                try CrisisCues.Compiled(cues, language: patterns.language) { list in
                    try Self.alternation(list, language: patterns.language)
                }
            }
            screen = try FirstLetterScreen(patterns.categories.values.flatMap { $0 })
            exclusionScreen = try FirstLetterScreen(patterns.exclusions)
        }

        func categories(in text: String) -> [CrisisCategory] {
            if let script, !script.occurs(in: text) { return [] }
            var text = text
            if let exclusions, exclusionScreen.mayMatch(text) {
                // Blank idioms out with spaces of the same length so the rest of the text keeps its shape (and
                // overlapping matches need no care).
                let ranges = exclusions.ranges(in: text)
                if !ranges.isEmpty {
                    let mutable = NSMutableString(string: text)
                    for range in ranges {
                        mutable.replaceCharacters(in: range, with: String(repeating: " ", count: range.length))
                    }
                    text = mutable as String
                }
            }
            // After the blanking: blanks make new word starts, where a pattern may match that did not before.
            var found = screen.mayMatch(text) ? categories.filter { $0.1.matchesAnywhere(in: text) }.map(\.0) : []
            if !found.contains(.suicidalIntent), let cues, cues.flag(text) { found.append(.suicidalIntent) }
            return found
        }

        static func alternation(_ patterns: [String], language: Language) throws -> PatternAlternation? {
            guard !patterns.isEmpty else { return nil }
            for pattern in patterns {
                guard !hasUppercaseLetter(pattern) else {
                    throw CrisisPatternError.invalidPattern(pattern, language, "letters must be lower case")
                }
                do {
                    _ = try NSRegularExpression(pattern: pattern)
                } catch {
                    throw CrisisPatternError.invalidPattern(pattern, language, "\(error)")
                }
            }
            // Case-sensitive on purpose: the text is lowercased before matching and the patterns are written in
            // lower case (a bundle check pins that), and ICU's case folding tripled the cost of every message.
            return try PatternAlternation(patterns)
        }

        /// An upper-case letter that is not an escape such as `\\W` or `\\B` would never match lowercased text.
        static func hasUppercaseLetter(_ pattern: String) -> Bool {
            var escaped = false
            for character in pattern {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character.isUppercase {
                    return true
                }
            }
            return false
        }
    }
}
