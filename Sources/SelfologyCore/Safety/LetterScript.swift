/// The lower-case letters of one alphabet, and whether a pattern can only match text that contains one.
///
/// Why: the crisis check runs both languages' patterns on every message, and most messages are written in one
/// alphabet. A language whose every pattern needs a letter of its alphabet is skipped for text without any,
/// which halves the cost of the check (it was the costliest step of handling a message). The proof is read
/// from the pattern itself, conservatively: anything this reader does not understand counts as "might match
/// anything", and the language is then always checked.
public enum LetterScript: String, Sendable, CaseIterable {
    case latin, cyrillic

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch self {
        case .latin: ("a"..."z").contains(scalar)
        case .cyrillic: ("\u{0430}"..."\u{045F}").contains(scalar)
        }
    }

    /// Whether the text has at least one letter of this alphabet.
    public func occurs(in text: String) -> Bool {
        text.unicodeScalars.contains(where: contains)
    }

    /// True only when every text the ICU pattern matches in must contain a letter of this alphabet: some literal
    /// (or a class made only of such letters) that no branch can avoid, no quantifier can skip and no negative
    /// lookaround holds.
    public func isRequired(by pattern: String) -> Bool {
        var reader = PatternReader(characters: Array(pattern.unicodeScalars), script: self)
        guard let required = reader.alternation(), reader.isAtEnd else { return false }
        return required
    }
}

/// A recursive reader of the ICU syntax the crisis patterns use. Each method returns whether what it read must
/// consume a letter of the script, or nil for syntax it does not know (which makes the answer "no").
private struct PatternReader {
    let characters: [Unicode.Scalar]
    let script: LetterScript
    var index = 0

    var isAtEnd: Bool { index == characters.count }
    private var next: Unicode.Scalar? { index < characters.count ? characters[index] : nil }

    /// Branches separated by `|`: required only if every branch requires it.
    mutating func alternation() -> Bool? {
        var required = true
        repeat {
            guard let branch = sequence() else { return nil }
            required = required && branch
        } while consume("|")
        return required
    }

    /// Quantified atoms one after the other: required if any atom that must occur at least once requires it.
    private mutating func sequence() -> Bool? {
        var required = false
        while let character = next, character != "|", character != ")" {
            guard let atom = atom(), let minimum = quantifierMinimum() else { return nil }
            required = required || (atom && minimum > 0)
        }
        return required
    }

    private mutating func atom() -> Bool? {
        guard let character = next else { return nil }
        index += 1
        switch character {
        case "(": return group()
        case "[": return characterClass()
        case "\\": return escape()
        case ".", "^", "$": return false
        case "*", "+", "?", "{", "}", "]": return nil
        default: return script.contains(character)
        }
    }

    /// A group after its `(`. What a positive lookaround needs must be in the text as well, though outside the
    /// match, so it counts; a negative one only forbids, so it does not.
    private mutating func group() -> Bool? {
        var negative = false
        if consume("?") {
            if consume(":") || consume("=") {
            } else if consume("!") {
                negative = true
            } else if consume("<"), consume("=") || consume("!") {
                negative = characters[index - 1] == "!"
            } else {
                return nil
            }
        }
        guard let inner = alternation(), consume(")") else { return nil }
        return negative ? false : inner
    }

    /// A class after its `[`: required when it is not negated and holds only letters and ranges of the script
    /// (each script's letters are one run of scalars, so a range between two of them holds only letters).
    private mutating func characterClass() -> Bool? {
        let negated = consume("^")
        var onlyScriptLetters = true
        while let character = next, character != "]" {
            index += 1
            switch character {
            case "[": return nil
            case "\\":
                guard next != nil else { return nil }
                index += 1
                onlyScriptLetters = false
            default:
                if next == "-", index + 1 < characters.count, characters[index + 1] != "]" {
                    let upper = characters[index + 1]
                    index += 2
                    onlyScriptLetters =
                        onlyScriptLetters && script.contains(character) && script.contains(upper)
                        && character.value <= upper.value
                } else {
                    onlyScriptLetters = onlyScriptLetters && script.contains(character)
                }
            }
        }
        guard consume("]") else { return nil }
        return !negated && onlyScriptLetters
    }

    /// An escape after its `\`: `\b` and `\B` match nothing; the classes and escaped punctuation the patterns
    /// use never need a letter. Escapes with arguments (`\p{…}`, `\x{…}`, `\Q`) are not read.
    private mutating func escape() -> Bool? {
        guard let character = next else { return nil }
        index += 1
        switch character {
        case "p", "P", "x", "N", "Q", "E", "u", "U", "k", "c", "0"..."9": return nil
        default: return false
        }
    }

    /// The least number of times the quantifier after an atom lets it occur (1 without a quantifier).
    private mutating func quantifierMinimum() -> Int? {
        let minimum: Int
        if consume("?") || consume("*") {
            minimum = 0
        } else if consume("+") {
            minimum = 1
        } else if consume("{") {
            var digits = ""
            while let character = next, ("0"..."9").contains(character) {
                digits.unicodeScalars.append(character)
                index += 1
            }
            while let character = next, character != "}" { index += 1 }
            guard let count = Int(digits), consume("}") else { return nil }
            minimum = count
        } else {
            return 1
        }
        // Lazy and possessive forms have the same minimum.
        _ = consume("?") || consume("+")
        return minimum
    }

    private mutating func consume(_ character: Unicode.Scalar) -> Bool {
        guard next == character else { return false }
        index += 1
        return true
    }
}
