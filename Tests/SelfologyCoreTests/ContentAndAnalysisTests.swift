import SelfologyContent
import SelfologyCore
import Testing

@Suite("Bundled content and offline analysis")
struct ContentAndAnalysisTests {
    let content: ContentLibrary

    init() throws { content = try ContentLibrary.bundled() }

    @Test("the bank loads with both languages for every question, open and scale items")
    func bankLoads() {
        #expect(content.bank.questions.count >= 20)
        #expect(content.bank.questions.allSatisfy { !$0.text.en.isEmpty && !$0.text.ru.isEmpty })
        #expect(content.bank.questions.contains { $0.kind.isScale })
        #expect(content.bank.questions.contains { !$0.kind.isScale })
    }

    @Test(
        "sentiment handles negation and intensifiers in English and Russian",
        arguments: [
            ("I am happy", "I am not happy", "I am very happy", Language.en),
            ("я счастлив", "я не счастлив", "я очень счастлив", Language.ru),
        ])
    func sentiment(plain: String, negated: String, intensified: String, language: Language) throws {
        let lexicon = try #require(content.sentiment[language])
        let base = SentimentAnalyzer.analyze(plain, lexicon: lexicon).valence
        #expect(base > 0)
        #expect(SentimentAnalyzer.analyze(negated, lexicon: lexicon).valence < 0)
        #expect(SentimentAnalyzer.analyze(intensified, lexicon: lexicon).valence > base)
    }

    @Test("negation stays inside its clause")
    func negationScope() throws {
        let ru = try #require(content.sentiment[.ru])
        #expect(SentimentAnalyzer.analyze("никто не звонит, скучаю", lexicon: ru).emotion == .loneliness)
        let en = try #require(content.sentiment[.en])
        #expect(SentimentAnalyzer.analyze("not a great week, but I am happy", lexicon: en).valence > 0)
        #expect(SentimentAnalyzer.analyze("I am not happy", lexicon: en).valence < 0)
    }

    @Test("instant analysis: longer, personal, emotional answers score higher quality")
    func quality() {
        let analyzer = InstantAnalyzer(lexicons: content.sentiment)
        let terse = analyzer.analyze(answer: "work", scaleValue: nil, question: nil, language: .en)
        let rich = analyzer.analyze(
            answer: "When I finish a hard project I feel proud and calm, because I know I gave it my best.",
            scaleValue: nil, question: nil, language: .en)
        #expect(rich.quality > terse.quality + 0.3)
        #expect(!rich.insight.isEmpty && rich.wordCount == 19)
    }
}
