import Testing

@testable import SelfologyTelegram

@Suite("MarkdownV2 escaping")
struct MarkdownV2Tests {
    /// The Bot API documentation's list for MarkdownV2 outside code entities, and the backslash.
    static let documented: [Character] = [
        "_", "*", "[", "]", "(", ")", "~", "`", ">", "#", "+", "-", "=", "|", "{", "}", ".", "!", "\\",
    ]

    @Test(arguments: documented)
    func escapesEveryDocumentedCharacter(character: Character) {
        #expect(MarkdownV2.escape(String(character)) == "\\" + String(character))
    }

    @Test func reservesExactlyTheDocumentedCharacters() {
        #expect(MarkdownV2.reservedCharacters == Set(Self.documented.flatMap(\.unicodeScalars)))
    }

    @Test func leavesEverythingElseAlone() {
        let plain = "Привет, Анна: как дела? 100% 'да' \"нет\" a < b & $5 @name / ^ 😀👨‍👩‍👧‍👦\n\tёЁ"
        #expect(MarkdownV2.escape(plain) == plain)
    }

    @Test func escapesAWholeSentence() {
        #expect(
            MarkdownV2.escape("Итог: 5.5 (из 10) - отлично! #1 [x] a_b*c~d`e>f+g=h|i{j}k\\l")
                == "Итог: 5\\.5 \\(из 10\\) \\- отлично\\! \\#1 \\[x\\] a\\_b\\*c\\~d\\`e\\>f\\+g\\=h\\|i\\{j\\}k\\\\l"
        )
    }

    @Test func escapesAReservedCharacterCarryingACombiningMark() {
        #expect(MarkdownV2.escape(".\u{301}") == "\\.\u{301}")
    }
}
