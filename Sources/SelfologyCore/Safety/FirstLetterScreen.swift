import Foundation

/// A quick "could any of these patterns match here at all?" for the many messages that hit nothing.
///
/// ICU tries every alternative of an alternation at every word start; with a few hundred patterns that made
/// the crisis check the costliest step of handling a message, although a message's words begin with only a
/// handful of letters. Patterns that match only at word starts are filed by the letters a match can begin with
/// (read from the pattern), and a message runs only the files of its words' first letters, plus one alternation
/// of the patterns whose first letter cannot be known. A "yes" proves nothing (the caller then runs its exact
/// check); a "no" is certain.
struct FirstLetterScreen: @unchecked Sendable {
    // NSRegularExpression is immutable once built and documented as safe to share between threads.
    private let byFirstLetter: [Unicode.Scalar: NSRegularExpression]
    private let others: PatternAlternation?

    init(_ patterns: [String]) throws {
        var filed: [Unicode.Scalar: [String]] = [:]
        var others: [String] = []
        for pattern in patterns {
            guard PatternAlternation.beginsAtWordStart(pattern),
                let letters = Self.firstLetters(of: PatternAlternation.withoutOpeningBoundary(pattern))
            else {
                others.append(pattern)
                continue
            }
            for letter in letters { filed[letter, default: []].append(pattern) }
        }
        byFirstLetter = Dictionary(
            uniqueKeysWithValues: try filed.map { letter, patterns in
                // Behind "no word character before, this letter next" each branch's opening \b holds already.
                let branches = patterns.map { "(?:\(PatternAlternation.withoutOpeningBoundary($0)))" }
                let guardPattern = "(?<!\\w)(?=" + NSRegularExpression.escapedPattern(for: String(letter)) + ")"
                return (
                    letter,
                    try NSRegularExpression(pattern: guardPattern + "(?:" + branches.joined(separator: "|") + ")")
                )
            })
        self.others = try PatternAlternation(others)
    }

    func mayMatch(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        for letter in Self.wordStartLetters(of: text) {
            if let expression = byFirstLetter[letter], expression.firstMatch(in: text, range: range) != nil {
                return true
            }
        }
        return others?.matchesAnywhere(in: text) ?? false
    }

    /// Letters that surely are word characters for ICU whatever its Unicode version (so a letter after one is
    /// surely no word start, and the screen never skips a real one): ASCII letters, digits and `_`, and the
    /// basic Cyrillic letters. Anything else counts as a word's edge, which only makes more letters starts.
    static func isSurelyWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || scalar == "_" || ("\u{0400}"..."\u{045F}").contains(scalar)
    }

    /// Every character that follows the text's start or a character that is not surely a word character.
    static func wordStartLetters(of text: String) -> Set<Unicode.Scalar> {
        var letters: Set<Unicode.Scalar> = []
        var previousIsWord = false
        for scalar in text.unicodeScalars {
            if !previousIsWord { letters.insert(scalar) }
            previousIsWord = isSurelyWordCharacter(scalar)
        }
        return letters
    }

    /// The letters a match can begin with, or nil when that is not known, when the pattern can match empty,
    /// or when one of them is not surely a word character (behind the word-start guard it could never begin
    /// a match, but the guard here is a letter, not `\w`, so such a pattern is left with the others).
    static func firstLetters(of pattern: String) -> Set<Unicode.Scalar>? {
        guard let node = PatternNode.parse(pattern), case let first = first(of: node), !first.canBeEmpty,
            let ranges = first.ranges
        else { return nil }
        var letters: Set<Unicode.Scalar> = []
        for range in ranges {
            for value in range.lowerBound.value...range.upperBound.value {
                guard let scalar = Unicode.Scalar(value), isSurelyWordCharacter(scalar) else { return nil }
                letters.insert(scalar)
            }
        }
        return letters
    }

    /// What a node's match can begin with (nil ranges: anything) and whether it can match no character at all.
    private struct First {
        var ranges: [ClosedRange<Unicode.Scalar>]?
        var canBeEmpty: Bool
    }

    private static func first(of node: PatternNode) -> First {
        switch node {
        case .literal(let character): return First(ranges: [character...character], canBeEmpty: false)
        case .oneOf(let ranges): return First(ranges: ranges, canBeEmpty: false)
        case .anyCharacter: return First(ranges: nil, canBeEmpty: false)
        // What a lookaround needs is ignored: the screen may say yes too often, never no.
        case .assertion, .lookaround: return First(ranges: [], canBeEmpty: true)
        case .repeated(let inner, let minimum):
            var first = first(of: inner)
            first.canBeEmpty = first.canBeEmpty || minimum == 0
            return first
        case .alternation(let branches):
            var union = First(ranges: [], canBeEmpty: false)
            for branch in branches {
                let first = sequenceFirst(branch)
                union.ranges = union.ranges.flatMap { known in first.ranges.map { known + $0 } }
                union.canBeEmpty = union.canBeEmpty || first.canBeEmpty
            }
            return union
        }
    }

    /// A sequence begins with its first node's letters, and with the next one's too while the ones before can
    /// match no character.
    private static func sequenceFirst(_ nodes: [PatternNode]) -> First {
        var collected = First(ranges: [], canBeEmpty: true)
        for node in nodes {
            let first = first(of: node)
            collected.ranges = collected.ranges.flatMap { known in first.ranges.map { known + $0 } }
            guard first.canBeEmpty else {
                collected.canBeEmpty = false
                return collected
            }
        }
        return collected
    }
}
