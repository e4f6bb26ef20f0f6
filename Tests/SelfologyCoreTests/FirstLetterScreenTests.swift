import Foundation
import Testing

@testable import SelfologyCore

/// The screen may only say "nothing here" when nothing can match: it files patterns by the letters a match can
/// begin with and looks at the letters a message's words begin with; both must err towards "maybe".
@Suite("Crisis matching: first-letter screen")
struct FirstLetterScreenTests {
    @Test(
        "the letters a match can begin with are read through groups, optional parts and lookbehinds",
        arguments: [
            ("(?:kill|murder)\\s+", "km"),
            ("(?<!\\bне\\s)(?<!\\bне)(?:я\\s+)?(?:убью|прибью)", "япу"),
            ("х[оа]ч", "х"),
            ("[а-в]\\w*", "абв"),
            ("(?:self|sh)[\\s-]?harm", "s"),
        ])
    func knownFirstLetters(pattern: String, letters: String) {
        #expect(FirstLetterScreen.firstLetters(of: pattern) == Set(letters.unicodeScalars))
    }

    @Test(
        "a pattern that may begin with anything, match empty, or begin with a non-letter is left unfiled",
        arguments: ["\\w+\\s+kill", "(?:kill)?", "(?:'s|x)", "[^a]x", "\\p{L}kill", ".kill"])
    func unknownFirstLetters(pattern: String) {
        #expect(FirstLetterScreen.firstLetters(of: pattern) == nil)
    }

    @Test("word starts are read generously: after anything that is not surely a word character")
    func wordStarts() {
        let starts = FirstLetterScreen.wordStartLetters(of: "i enjoy long-walks, «да» xkill e\u{301}k")
        for letter in ["i", "e", "l", "w", "д", "x", "k"] { #expect(starts.contains(Unicode.Scalar(letter)!)) }
        #expect(!starts.contains("n") && !starts.contains("а"))
    }

    @Test("a filed pattern is found at its word start, an unfiled one anywhere, and a miss is a miss")
    func screening() throws {
        let screen = try FirstLetterScreen(["\\bkill\\s+myself\\b", "\\bхоч\\w*\\s+умереть", "^\\W*kms\\W*$"])
        #expect(screen.mayMatch("i want to kill myself"))
        #expect(screen.mayMatch("я хочу умереть"))
        #expect(screen.mayMatch("  kms  "))
        #expect(!screen.mayMatch("i enjoy long walks"))
        #expect(!screen.mayMatch("skill myself"))
    }
}
