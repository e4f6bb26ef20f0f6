import Foundation
import SelfologyCore
import Testing

/// The tokenizer's fast path must give what the plain Foundation version gave, on texts full of what it folds.
@Suite("Tokenizer")
struct TokenizerTests {
    /// The earlier normalization, kept as the reference.
    static func referenceNormalize(_ text: String) -> String {
        text.lowercased()
            .replacingOccurrences(of: "ё", with: "е")
            .replacingOccurrences(of: "\u{2019}", with: "'")
            .replacingOccurrences(of: "\u{2018}", with: "'")
    }

    static let pieces = [
        "Ёлка", "ёж", "е\u{0308}ж", "Е\u{0308}", "don\u{2019}t", "\u{2018}quoted\u{2019}", "кое-что", "ЁЁ", "e\u{0301}",
        "İstanbul", "straße", "ΣΊΣΥΦΟΣ", " ", ", ", ". ", "но", "but", "-", "'", "1984", "😀", "\n",
    ]

    @Test("normalization equals the Foundation version on random texts of letters it folds")
    func normalizeMatchesReference() {
        var random = SeededRandom(seed: 5)
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                Self.pieces.randomElement(using: &random)!
            }.joined()
            #expect(Tokenizer.normalize(text) == Self.referenceNormalize(text), "\(text.unicodeScalars.map(\.value))")
        }
        #expect(Tokenizer.normalize("Ёж, don’t") == "еж, don't")
    }

    @Test("clauses split on punctuation and contrast words, tokens keep inner apostrophes and hyphens")
    func clausesAndTokens() {
        #expect(
            Tokenizer.clauses("Никто не звонит, скучаю. Ёлка — но весело") == [
                ["никто", "не", "звонит"], ["скучаю"], ["елка"], ["весело"],
            ])
        #expect(Tokenizer.tokens("Don’t stop kое-что -x- it's'") == ["don't", "stop", "kое-что", "x", "it's"])
    }
}
