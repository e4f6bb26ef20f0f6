import Foundation

/// A list of ICU patterns matched as one or two alternations, cheaply.
///
/// ICU tries every alternative of an alternation at every position of the text, so a hundred patterns cost a
/// hundred attempts per character: about 1 ms for a sentence, which made the crisis check the costliest step of
/// handling a message. Most patterns can only begin where a word begins (they open with `\b`, perhaps after
/// lookbehinds). Their alternation is guarded by `(?<!\w)(?=\w)`, which fails at once everywhere else, so only
/// word starts pay for the alternatives: less than half the time. The others (anchored with `^`, or able to
/// begin inside a word) keep an unguarded alternation of their own. Together they match exactly what the plain
/// alternation matched. Behind the guard the branches' own opening `\b` is dropped (see `withoutOpeningBoundary`).
struct PatternAlternation: @unchecked Sendable {
    // NSRegularExpression is immutable once built and documented as safe to share between threads.
    private let expressions: [NSRegularExpression]

    init?(_ patterns: [String]) throws {
        let wordStart = patterns.filter(Self.beginsAtWordStart)
        let anywhere = patterns.filter { !Self.beginsAtWordStart($0) }
        var expressions: [NSRegularExpression] = []
        if !wordStart.isEmpty {
            expressions.append(
                try NSRegularExpression(
                    pattern: "(?<!\\w)(?=\\w)" + Self.alternation(wordStart.map(Self.withoutOpeningBoundary))))
        }
        if !anywhere.isEmpty { expressions.append(try NSRegularExpression(pattern: Self.alternation(anywhere))) }
        guard !expressions.isEmpty else { return nil }
        self.expressions = expressions
    }

    func matchesAnywhere(in text: String) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        return expressions.contains { $0.firstMatch(in: text, range: range) != nil }
    }

    /// Every match's range (matches of the two alternations may overlap).
    func ranges(in text: String) -> [NSRange] {
        let range = NSRange(text.startIndex..., in: text)
        return expressions.flatMap { $0.matches(in: text, range: range).map(\.range) }
    }

    private static func alternation(_ patterns: [String]) -> String {
        "(?:" + patterns.map { "(?:\($0))" }.joined(separator: "|") + ")"
    }

    /// True when every top-level branch of the pattern opens, after any lookbehinds, with `\b`. A branch
    /// that opens with `\b` begins at a word start in practice (a `\b` before a non-word character would be odd
    /// in these lists); the detector's tests check on the evaluation sets that guarded and plain matching agree.
    static func beginsAtWordStart(_ pattern: String) -> Bool {
        topLevelBranches(Array(pattern)).allSatisfy { branch in
            let rest = branch[afterLookbehinds(branch)...]
            return rest.starts(with: ["\\", "b"])
        }
    }

    /// The pattern without the `\b` that opens each of its branches (after any lookbehinds). Behind the guard
    /// that boundary holds already, and ICU spent most of a message's check testing it again for every one of a
    /// hundred alternatives at every word start.
    static func withoutOpeningBoundary(_ pattern: String) -> String {
        topLevelBranches(Array(pattern)).map { branch in
            let boundary = afterLookbehinds(branch)
            return String(branch[..<boundary]) + String(branch[(boundary + 2)...])
        }.joined(separator: "|")
    }

    /// The branches of the pattern's top-level `|`, ignoring bars inside groups, classes or escapes.
    private static func topLevelBranches(_ pattern: [Character]) -> [ArraySlice<Character>] {
        var branches: [ArraySlice<Character>] = []
        var start = 0
        walk(pattern[...], from: 0) { index, character, depth, inClass in
            if character == "|" && !inClass && depth == 0 {
                branches.append(pattern[start..<index])
                start = index + 1
            }
            return true
        }
        branches.append(pattern[start...])
        return branches
    }

    /// The index just past the lookbehind groups, `(?<!…)` or `(?<=…)`, that open the branch.
    private static func afterLookbehinds(_ branch: ArraySlice<Character>) -> Int {
        var index = branch.startIndex
        while branch[index...].starts(with: ["(", "?", "<", "!"])
            || branch[index...].starts(with: ["(", "?", "<", "="])
        {
            let groupStart = index
            // The group ends where the depth is back to 0 after its opening parenthesis.
            index = walk(branch, from: groupStart) { index, _, depth, _ in index == groupStart || depth > 0 }
        }
        return index
    }

    /// Walks a pattern from `start`, skipping escaped characters, and hands `visit` each character's index, the
    /// group depth before it and whether it sits in a character class. Stops where `visit` returns false and
    /// returns that index (or the end).
    @discardableResult
    private static func walk(
        _ pattern: ArraySlice<Character>, from start: Int,
        _ visit: (_ index: Int, _ character: Character, _ depth: Int, _ inClass: Bool) -> Bool
    ) -> Int {
        var (depth, index, inClass) = (0, start, false)
        while index < pattern.endIndex {
            let character = pattern[index]
            guard visit(index, character, depth, inClass) else { return index }
            switch character {
            case "\\": index += 1
            case "[": inClass = true
            case "]": inClass = false
            case "(" where !inClass: depth += 1
            case ")" where !inClass: depth -= 1
            default: break
            }
            index += 1
        }
        return pattern.endIndex
    }
}
