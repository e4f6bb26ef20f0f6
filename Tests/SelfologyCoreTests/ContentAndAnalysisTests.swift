import SelfologyContent
import SelfologyCore
import Testing

@Suite("Bundled content and offline analysis")
struct ContentAndAnalysisTests {
    let content: ContentLibrary

    init() { content = BundledContent.library }

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

@Suite("Deep analysis from free text")
struct DeepTextAnalysisTests {
    let content: ContentLibrary
    let question: Question

    init() throws {
        content = BundledContent.library
        question = try #require(content.bank.questions.first { !$0.kind.isScale && $0.domain == .work })
    }

    func analyze(_ text: String, _ language: Language) -> DeepAnalysis {
        DeepAnalyzer(lexicons: content.sentiment, cues: content.traitCues)
            .analyze(answer: text, scaleValue: nil, question: question, language: language)
    }

    func value(_ analysis: DeepAnalysis, _ key: TraitKey) -> TraitEvidence? {
        analysis.evidence.first { $0.trait == key }
    }

    @Test(
        "planning words are weak evidence of conscientiousness, in both languages",
        arguments: [
            ("I always plan my week ahead, make a schedule and a list, and I finish what I start.", Language.en),
            (
                "Я всегда планирую неделю заранее, составляю расписание и список дел и довожу начатое до конца.",
                Language.ru
            ),
        ])
    func conscientiousness(text: String, language: Language) throws {
        let analysis = analyze(text, language)
        let evidence = try #require(value(analysis, .bigFive(.conscientiousness)))
        #expect(evidence.value > 0.6 && evidence.source == .textCue && evidence.confidence <= 0.5)
        #expect(analysis.patterns.contains("plans_ahead") && !analysis.insights.isEmpty)
        #expect(analysis.semanticProblems.isEmpty)
    }

    @Test("style words name an adaptive trait label")
    func labels() throws {
        let analysis = analyze(
            "When I need to learn something I just try it, practise and experiment until it works.", .en)
        let style = try #require(value(analysis, TraitKey(.adaptiveTraits, "learning_style")))
        #expect(style.label == "experiential")
    }

    @Test("the label with the most evidence wins in the profile, not the latest")
    func labelVotes() {
        let key = TraitKey(.adaptiveTraits, "learning_style")
        let vote = { (label: String) in
            TraitEvidence(trait: key, value: 0.5, label: label, confidence: 0.3, source: .textCue)
        }
        var profile = PersonalityProfile()
        for label in ["reflective", "reflective", "experiential"] {
            profile = ProfileMerge.merge([vote(label)], into: profile).profile
        }
        #expect(profile[key]?.label == "reflective")
    }
}
