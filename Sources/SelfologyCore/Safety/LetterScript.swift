/// The lower-case letters of one alphabet, and whether a pattern can only match text that contains one.
///
/// Why: the crisis check runs both languages' patterns on every message, and most messages are written in one
/// alphabet. A language whose every pattern needs a letter of its alphabet is skipped for text without any.
/// The proof is read from the pattern itself, conservatively: anything the reader does not understand counts
/// as "might match anything", and the language is then always checked.
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
    /// lookaround holds. Syntax `PatternNode` does not read counts as "might match anything".
    public func isRequired(by pattern: String) -> Bool {
        PatternNode.parse(pattern).map(isRequired) ?? false
    }

    private func isRequired(by node: PatternNode) -> Bool {
        switch node {
        case .alternation(let branches): branches.allSatisfy { $0.contains(where: isRequired) }
        case .literal(let character): contains(character)
        // Each alphabet's letters are one run of scalars, so a range between two of them holds only letters.
        case .oneOf(let ranges): ranges.allSatisfy { contains($0.lowerBound) && contains($0.upperBound) }
        case .anyCharacter, .assertion: false
        case .lookaround(let inner): isRequired(by: inner)
        case .repeated(let inner, let minimum): minimum > 0 && isRequired(by: inner)
        }
    }
}
