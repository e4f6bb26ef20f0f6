import Testing

@testable import SelfologyTelegram

@Suite("Message splitter")
struct MessageSplitterTests {
    /// Every part fits and is not empty, no part starts or ends with whitespace at a cut, and walking the original
    /// text, each part follows the previous one after nothing but whitespace: no character is lost or repeated.
    private func expectValidSplit(_ parts: [String], of text: String, limit: Int = MessageSplitter.maximumLength) {
        for (index, part) in parts.enumerated() {
            #expect(!part.isEmpty)
            #expect(part.utf16.count <= limit, "part \(index) has \(part.utf16.count) UTF-16 units")
            if index > 0 { #expect(part.first?.isWhitespace == false, "part \(index) starts with whitespace") }
            if index < parts.count - 1 {
                #expect(part.last?.isWhitespace == false, "part \(index) ends with whitespace")
            }
        }
        var rest = Substring.UnicodeScalarView(text.unicodeScalars)
        for (index, part) in parts.enumerated() {
            if index > 0 {
                while let first = rest.first, first.properties.isWhitespace { rest.removeFirst() }
            }
            let scalars = Array(part.unicodeScalars)
            guard rest.starts(with: scalars) else {
                Issue.record("part \(index) does not continue the text")
                return
            }
            rest.removeFirst(scalars.count)
        }
        #expect(rest.allSatisfy { $0.properties.isWhitespace }, "text left over after the last part")
    }

    private func sentence(_ index: Int) -> String {
        "Предложение номер \(index) о том, как прошёл день."
    }

    @Test func shortTextIsOnePartAndEmptyTextNone() {
        #expect(MessageSplitter.split("Привет") == ["Привет"])
        let exactlyFull = String(repeating: "я", count: 4096)
        #expect(MessageSplitter.split(exactlyFull) == [exactlyFull])
        #expect(MessageSplitter.split("") == [])
    }

    @Test func prefersAParagraphBreakToLaterLineBreaksAndSentenceEnds() throws {
        let first = (1...30).map(sentence).joined(separator: " ") + "\nещё строка. " + (31...50).map(sentence).joined()
        let second = (51...70).map(sentence).joined(separator: " ") + "\nи ещё. " + (71...100).map(sentence).joined()
        let text = first + "\n\n" + second
        try #require(first.utf16.count < 4096 && second.utf16.count < 4096 && text.utf16.count > 4096)
        let parts = MessageSplitter.split(text)
        #expect(parts == [first, second])
    }

    @Test func cutsAtALineBreakWhenNoParagraphBreakFits() {
        let lines = (1...200).map { "Строка \($0): немного текста без точки" }
        let text = lines.joined(separator: "\n")
        let parts = MessageSplitter.split(text)
        #expect(parts.count > 1)
        for part in parts {
            #expect(part.hasPrefix("Строка "))
            #expect(part.hasSuffix("без точки"))
        }
        #expect(parts.joined(separator: "\n") == text)
    }

    @Test func cutsAtASentenceEndWhenNoLineBreakFits() {
        let enders = [".", "!", "?", "…"]
        let text = (1...300).map { "Мысль \($0) короткая\(enders[$0 % 4])" }.joined(separator: " ")
        let parts = MessageSplitter.split(text)
        #expect(parts.count > 1)
        for part in parts.dropLast() {
            #expect(enders.contains(String(part.last ?? " ")), "\(part.suffix(20))")
        }
        #expect(parts.joined(separator: " ") == text)
    }

    @Test func cutsAtASpaceWhenNoSentenceEndFits() {
        let words = (1...2000).map { "слово\($0)" }
        let text = words.joined(separator: " ")
        let parts = MessageSplitter.split(text)
        #expect(parts.count > 1)
        #expect(parts.flatMap { $0.split(separator: " ").map(String.init) } == words, "no word was cut")
        expectValidSplit(parts, of: text)
    }

    @Test func cutsHardWhenThereIsNoBreakAtAll() {
        let text = String(repeating: "x", count: 10_000)
        let parts = MessageSplitter.split(text)
        #expect(parts.map(\.count) == [4096, 4096, 1808])
        #expect(parts.joined() == text)
    }

    @Test func countsUTF16UnitsAndNeverCutsASurrogatePair() {
        let text = "a" + String(repeating: "😀", count: 3000)
        let parts = MessageSplitter.split(text)
        #expect(parts.map { $0.utf16.count } == [4095, 1906])
        #expect(parts.joined() == text)
    }

    @Test func neverCutsAGraphemeCluster() {
        let family = "👨‍👩‍👧‍👦"
        let flag = "🇷🇺"
        let wave = "👋🏽"
        let text = String(repeating: family + flag + wave, count: 400)
        let parts = MessageSplitter.split(text)
        #expect(parts.count > 1)
        #expect(parts.joined() == text)
        for part in parts {
            #expect(part.utf16.count <= 4096)
            #expect(part.allSatisfy { [Character(family), Character(flag), Character(wave)].contains($0) })
        }
    }

    @Test func aSingleClusterLongerThanAPartIsCutBetweenScalars() {
        let zalgo = "e" + String(repeating: "\u{301}", count: 5000)
        #expect(zalgo.count == 1)
        let parts = MessageSplitter.split(zalgo)
        #expect(parts.map { $0.utf16.count } == [4096, 905])
        #expect(parts.joined() == zalgo)
    }

    @Test func dropsOnlyTheWhitespaceAtACut() {
        let text = String(repeating: "a", count: 4000) + " \n\n  \t" + String(repeating: "b", count: 200)
        #expect(
            MessageSplitter.split(text) == [String(repeating: "a", count: 4000), String(repeating: "b", count: 200)])
    }

    @Test(arguments: [40, 97, 500, 4096])
    func randomRussianAndEmojiTextSplitsValidly(limit: Int) {
        var random = SplitMix64(seed: UInt64(limit))
        let pieces = [
            "Привет", "как", "дела", "сегодня", "я", "чувствую", "себя", "лучше", "😀", "👨‍👩‍👧‍👦", "🇷🇺", "👋🏽", "é",
            ".", "!", "?", "…", ",", " ", " ", " ", "\n", "\n\n", "\r\n", "ёжик",
        ]
        for _ in 0..<20 {
            let count = Int(random.next() % 3000) + 1
            let text = (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            expectValidSplit(MessageSplitter.split(text, maximumLength: limit), of: text, limit: limit)
        }
    }
}

/// A small seeded generator, so the random cases are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
