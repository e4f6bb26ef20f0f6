import Foundation

/// Splits text into lowercased word tokens the lexicons are written against: letters, digits, apostrophes and
/// hyphens inside a word stay in it ("don't", "кое-что"); "ё" is folded into "е" and curly apostrophes into "'".
public enum Tokenizer {
    public static func normalize(_ text: String) -> String {
        let lowered = text.lowercased()
        // Most texts have nothing to fold, and three `replacingOccurrences` scans cost more than the lowercasing.
        guard lowered.unicodeScalars.contains(where: { "ё\u{0308}\u{2019}\u{2018}".unicodeScalars.contains($0) })
        else { return lowered }
        var folded = String.UnicodeScalarView()
        for scalar in lowered.unicodeScalars {
            switch scalar {
            case "ё": folded.append("е")
            case "\u{2019}", "\u{2018}": folded.append("'")
            // "ё" written as "е" and a combining diaeresis is the same letter.
            case "\u{0308}" where folded.last == "е": continue
            default: folded.append(scalar)
            }
        }
        return String(folded)
    }

    /// Words that turn a sentence around: negation does not reach past them ("not great, but happy").
    static let contrast: Set<String> = [
        "but", "however", "although", "though", "yet", "но", "однако", "зато", "хотя", "а",
    ]

    /// Tokens grouped by clause: punctuation and contrast words end a clause, so negation stays inside it
    /// ("никто не звонит, скучаю": "не" does not reach "скучаю").
    public static func clauses(_ text: String) -> [[String]] {
        var clauses: [[String]] = []
        for piece in normalize(text).split(whereSeparator: { ".,;:!?()\n—–…".contains($0) }) {
            var current: [String] = []
            for token in tokens(normalized: piece) {
                if contrast.contains(token) {
                    if !current.isEmpty { clauses.append(current) }
                    current = []
                } else {
                    current.append(token)
                }
            }
            if !current.isEmpty { clauses.append(current) }
        }
        return clauses
    }

    public static func tokens(_ text: String) -> [String] {
        tokens(normalized: normalize(text)[...])
    }

    /// The tokens of text normalized already (clauses normalize the whole text once, not each piece again).
    private static func tokens(normalized text: Substring) -> [String] {
        var tokens: [String] = []
        var current = ""
        for character in text {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if (character == "'" || character == "-"), !current.isEmpty {
                current.append(character)
            } else if !current.isEmpty {
                tokens.append(trimJoiners(current))
                current = ""
            }
        }
        if !current.isEmpty { tokens.append(trimJoiners(current)) }
        return tokens.filter { !$0.isEmpty }
    }

    private static func trimJoiners(_ token: String) -> String {
        var token = Substring(token)
        while let last = token.last, last == "'" || last == "-" { token = token.dropLast() }
        return String(token)
    }
}
