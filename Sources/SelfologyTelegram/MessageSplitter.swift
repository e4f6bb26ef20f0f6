/// Splits text too long for one Telegram message into parts that each fit, cutting where a reader would pause.
public enum MessageSplitter {
    /// `sendMessage` accepts 1-4096 characters. Telegram measures text in UTF-16 code units (entity offsets and
    /// lengths are UTF-16), and a string never has fewer UTF-16 units than characters, so parts measured in UTF-16
    /// units fit however the limit is counted.
    public static let maximumLength = 4096

    private static let sentenceEnds: Set<Character> = [".", "!", "?", "…"]

    /// Parts of at most `maximumLength` UTF-16 units each, in order. Each cut goes at the last paragraph break
    /// (`\n\n`) that fits, else the last line break, else the last sentence end (. ! ? … followed by whitespace),
    /// else the last whitespace, else as far as fits. Whitespace at a cut is dropped; every other character is in
    /// exactly one part. Grapheme clusters (an emoji with its modifiers, a letter with its accents) and surrogate
    /// pairs are never cut, except a single cluster longer than a whole part, which is cut between Unicode scalars.
    public static func split(_ text: String, maximumLength: Int = maximumLength) -> [String] {
        precondition(maximumLength >= 2, "a part must be able to hold a surrogate pair")
        guard text.utf16.count > maximumLength else { return text.isEmpty ? [] : [text] }
        let units = units(of: text, maximumLength: maximumLength)
        var parts: [String] = []
        var start = 0
        while start < units.count {
            var end = start
            var length = 0
            while end < units.count, length + units[end].utf16.count <= maximumLength {
                length += units[end].utf16.count
                end += 1
            }
            guard end < units.count else {
                parts.append(String(units[start...]))
                break
            }
            let cut = bestCut(in: units, from: start, to: end)
            var partEnd = cut
            while partEnd > start, units[partEnd - 1].isWhitespace { partEnd -= 1 }
            if partEnd > start { parts.append(String(units[start..<partEnd])) }
            start = cut
            while start < units.count, units[start].isWhitespace { start += 1 }
        }
        return parts
    }

    /// The text's characters, except that a character longer than a whole part is broken into its scalars, so every
    /// unit fits a part on its own.
    private static func units(of text: String, maximumLength: Int) -> [Character] {
        text.flatMap { character in
            character.utf16.count <= maximumLength ? [character] : character.unicodeScalars.map(Character.init)
        }
    }

    /// Where to end the part that starts at `start` and can reach no further than `end` (exclusive): the index of the
    /// first unit of the break, so the break itself is whitespace dropped at the cut.
    private static func bestCut(in units: [Character], from start: Int, to end: Int) -> Int {
        // A cut before the first non-whitespace unit would make an empty part.
        let firstContent = units[start..<end].firstIndex { !$0.isWhitespace } ?? end
        let breaks: [(Int) -> Bool] = [
            { units[$0].isNewline && units[$0 - 1].isNewline },
            { units[$0].isNewline },
            { units[$0].isWhitespace && sentenceEnds.contains(units[$0 - 1]) },
            { units[$0].isWhitespace },
        ]
        for isBreak in breaks {
            if let cut = stride(from: end, to: firstContent, by: -1).first(where: isBreak) { return cut }
        }
        return end
    }
}
