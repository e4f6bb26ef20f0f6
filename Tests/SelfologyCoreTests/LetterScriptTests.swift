import Foundation
import Testing

@testable import SelfologyCore

/// A language is skipped for text without its alphabet only when every one of its patterns provably needs a
/// letter of it; these hold the proof reader to that, and to saying "no" whenever it is unsure.
@Suite("Crisis matching: alphabets the patterns need")
struct LetterScriptTests {
    @Test(
        "a letter is required only when no branch, quantifier or negative lookaround lets a match avoid it",
        arguments: [
            ("\\bkill\\s+myself\\b", LetterScript.latin, true),
            ("\\bkill\\s+myself\\b", .cyrillic, false),
            ("^\\W*(?:i\\s+|imma\\s+)?kms\\W*$", .latin, true),
            ("(?:kill)?\\s+\\w+", .latin, false),
            ("(?:kill|\\d+)", .latin, false),
            ("(?:kill|)", .latin, false),
            ("(?:kill){1,2}", .latin, true),
            ("(?:kill){0,2}\\s", .latin, false),
            ("(?<!\\bне\\s)(?<!\\bне)\\bубью", .cyrillic, true),
            ("(?<!\\bне\\s)\\w+", .cyrillic, false),
            ("(?=\\w*убью)\\w+", .cyrillic, true),
            ("(?!\\w*убью)\\w+", .cyrillic, false),
            ("(?<=убью)\\s", .cyrillic, true),
            ("х[оа]ч(?:у|ется)", .cyrillic, true),
            ("[а-я]+", .cyrillic, true),
            ("[^а-я]", .cyrillic, false),
            ("[а-я\\d]", .cyrillic, false),
            ("[a-я]", .cyrillic, false),
            ("\\w{0,4}кт", .cyrillic, true),
            ("(?:\\w+\\s+){0,4}", .cyrillic, false),
            ("\\bселф\\s*(?:харм|harm)|\\bself\\s*харм", .cyrillic, true),
            ("\\bселф\\s*(?:харм|harm)|\\bself\\s*харм", .latin, false),
            // Syntax the reader does not know counts as "might match anything".
            ("\\p{L}+kill", .latin, false),
            ("(?i)kill", .latin, false),
            ("(?<name>kill)", .latin, false),
        ])
    func requiredLetters(pattern: String, script: LetterScript, required: Bool) throws {
        _ = try NSRegularExpression(pattern: pattern)
        #expect(script.isRequired(by: pattern) == required)
    }

    @Test("both bundled languages are skipped for text without their alphabet")
    func bundledLanguagesAreGated() throws {
        let detector = try CrisisDetector(patterns: try CrisisMatchingTests.bundledPatterns())
        #expect(detector.requiredScript(of: .en) == .latin)
        #expect(detector.requiredScript(of: .ru) == .cyrillic)
        #expect(LetterScript.cyrillic.occurs(in: "ёжик") && !LetterScript.cyrillic.occurs(in: "kill 123"))
    }

    @Test("a language with one pattern that needs no letter is always checked; mixed text meets both languages")
    func ungatedLanguageIsAlwaysChecked() throws {
        let detector = try CrisisDetector(patterns: [
            CrisisPatterns(
                language: .en, categories: ["self_harm": ["\\bhurt\\s+myself\\b", "\\d{3}!{3}"]], exclusions: []),
            CrisisPatterns(
                language: .ru, categories: ["suicidal_intent": ["\\bне\\s+хочу\\s+жить\\b"]], exclusions: []),
        ])
        #expect(detector.requiredScript(of: .en) == nil)
        #expect(detector.requiredScript(of: .ru) == .cyrillic)
        #expect(detector.categories(in: "911!!!") == [.selfHarm])
        #expect(detector.categories(in: "i hurt myself, не хочу жить") == [.suicidalIntent, .selfHarm])
        #expect(detector.categories(in: "I hurt myself").contains(.selfHarm))
    }
}
