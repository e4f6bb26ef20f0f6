/// The shape of an ICU pattern, as far as the crisis check's shortcuts need it: which characters a match must
/// contain (`LetterScript`) and which it can begin with (`FirstLetterScreen`). Only the syntax the bundled
/// patterns use is read; anything else makes `parse` return nil, and the shortcuts then leave the pattern alone.
indirect enum PatternNode {
    /// Branches separated by `|`, each a sequence of nodes.
    case alternation([[PatternNode]])
    case literal(Unicode.Scalar)
    /// A class of plain characters and ranges, such as `[оа]` or `[a-z]`.
    case oneOf([ClosedRange<Unicode.Scalar>])
    /// One character of a kind not listed: `.`, `\w`, `\s`, a negated class or one with escapes in it.
    case anyCharacter
    /// Matches no character and needs none: `\b`, `\B`, `^`, `$`, a negative lookaround.
    case assertion
    /// A positive lookahead or lookbehind: matches no character, but what it holds must be in the text.
    case lookaround(PatternNode)
    /// A quantified node that may occur fewer than once (`?`, `*`, `{0,4}`) or more (`{2}`).
    case repeated(PatternNode, minimum: Int)

    static func parse(_ pattern: String) -> PatternNode? {
        var parser = PatternParser(characters: Array(pattern.unicodeScalars))
        guard let node = parser.alternation(), parser.isAtEnd else { return nil }
        return node
    }
}

private struct PatternParser {
    let characters: [Unicode.Scalar]
    var index = 0

    var isAtEnd: Bool { index == characters.count }
    private var next: Unicode.Scalar? { index < characters.count ? characters[index] : nil }

    mutating func alternation() -> PatternNode? {
        var branches: [[PatternNode]] = []
        repeat {
            guard let branch = sequence() else { return nil }
            branches.append(branch)
        } while consume("|")
        return .alternation(branches)
    }

    private mutating func sequence() -> [PatternNode]? {
        var nodes: [PatternNode] = []
        while let character = next, character != "|", character != ")" {
            guard let atom = atom(), let minimum = quantifierMinimum() else { return nil }
            // At least once is, for what is read here, the same as once.
            nodes.append(minimum == 1 ? atom : .repeated(atom, minimum: minimum))
        }
        return nodes
    }

    private mutating func atom() -> PatternNode? {
        guard let character = next else { return nil }
        index += 1
        switch character {
        case "(": return group()
        case "[": return characterClass()
        case "\\": return escape()
        case ".": return .anyCharacter
        case "^", "$": return .assertion
        case "*", "+", "?", "{", "}", "]": return nil
        default: return .literal(character)
        }
    }

    /// A group after its `(`: plain, non-capturing, and the four lookarounds.
    private mutating func group() -> PatternNode? {
        var kind: (zeroWidth: Bool, negative: Bool) = (false, false)
        if consume("?") {
            if consume(":") {
            } else if consume("=") {
                kind = (true, false)
            } else if consume("!") {
                kind = (true, true)
            } else if consume("<"), consume("=") || consume("!") {
                kind = (true, characters[index - 1] == "!")
            } else {
                return nil
            }
        }
        guard let inner = alternation(), consume(")") else { return nil }
        switch kind {
        case (false, _): return inner
        case (true, false): return .lookaround(inner)
        case (true, true): return .assertion
        }
    }

    /// A class after its `[`. Nested classes are not read; escapes or negation make it "any character".
    private mutating func characterClass() -> PatternNode? {
        let negated = consume("^")
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var plain = !negated
        while let character = next, character != "]" {
            index += 1
            switch character {
            case "[": return nil
            case "\\":
                guard next != nil else { return nil }
                index += 1
                plain = false
            default:
                if next == "-", index + 1 < characters.count, characters[index + 1] != "]" {
                    let upper = characters[index + 1]
                    index += 2
                    guard character <= upper else { return nil }
                    ranges.append(character...upper)
                } else {
                    ranges.append(character...character)
                }
            }
        }
        guard consume("]") else { return nil }
        return plain ? .oneOf(ranges) : .anyCharacter
    }

    /// An escape after its `\`. Escaped punctuation is that character; escapes with arguments are not read.
    private mutating func escape() -> PatternNode? {
        guard let character = next else { return nil }
        index += 1
        switch character {
        case "b", "B": return .assertion
        case "s", "S", "w", "W", "d", "D", "t", "n", "r": return .anyCharacter
        case _ where character.properties.isAlphabetic || ("0"..."9").contains(character): return nil
        default: return .literal(character)
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
