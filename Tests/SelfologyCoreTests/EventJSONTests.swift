import Foundation
import SelfologyCore
import Testing

/// The events' own JSON writers must be indistinguishable from Foundation's encoder: same bytes, same values.
@Suite("Hand-written event JSON")
struct EventJSONTests {
    /// Numbers that take each of Swift's forms: integral, shortest decimal, exponents, negative zero, extremes.
    static let awkwardNumbers: [Double] = [
        0, 1, -1, 0.5, 0.1, 1.0 / 3, 0.30000000000000004, 1e-7, 2.5e-12, 1e15, 1e16, 1e21, -0.0, 5e-324,
        1.7976931348623157e308, 123_456.789,
    ]
    /// Strings with everything JSON escapes, and what it must leave alone (`/`, DEL, non-Latin, emoji, U+2028).
    static let awkwardStrings = [
        "plain", "", "quote \" and backslash \\ and slash /", "line\nfeed\rreturn\ttab\u{08}\u{0C}",
        "\u{01}\u{1F}\u{7F}", "русский текст", "😀 emoji", "\u{2028}separator", "kinesthetic",
    ]

    func randomProfile(_ random: inout SeededRandom) -> PersonalityProfile {
        func number() -> Double {
            Bool.random(using: &random)
                ? Self.awkwardNumbers.randomElement(using: &random)! : Double.random(in: 0...1, using: &random)
        }
        func score() -> TraitScore {
            var sources: [EvidenceSource: SourceTally] = [:]
            for source in EvidenceSource.allCases where Bool.random(using: &random) {
                sources[source] = SourceTally(
                    count: Int.random(in: 0...500, using: &random), weightedSum: number(), weight: number())
            }
            let labelled = Int.random(in: 0..<4, using: &random) == 0
            var weights: [String: Double] = [:]
            if labelled {
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    weights[Self.awkwardStrings.randomElement(using: &random)!] = number()
                }
            }
            return TraitScore(
                value: number(), weight: number(), label: labelled ? weights.keys.sorted().first : nil,
                labelWeights: weights, sources: sources)
        }
        var profile = PersonalityProfile()
        for category in TraitCategory.allCases {
            let names = (TraitKey.knownNames[category] ?? []).sorted()
            for name in names where Bool.random(using: &random) { profile[TraitKey(category, name)] = score() }
        }
        if Bool.random(using: &random) {
            profile.signature = UniqueSignature(
                thinkingStyle: Self.awkwardStrings.randomElement(using: &random)!,
                decisionPattern: Self.awkwardStrings.randomElement(using: &random)!,
                energyRhythm: Self.awkwardStrings.randomElement(using: &random)!)
        }
        profile.answersAnalyzed = Int.random(in: 0...10_000, using: &random)
        return profile
    }

    /// The writer's text, called directly so a comparison can never be Foundation against itself.
    func writtenText(_ value: some JSONTextEncodable) throws -> String {
        var writer = JSONTextWriter()
        try value.writeJSON(to: &writer)
        return writer.text
    }

    func foundationText<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try EventCoding.encoder.encode(value), as: UTF8.self)
    }

    @Test("profiles are written byte for byte as Foundation's encoder writes them, and decode back equal")
    func profileMatchesFoundation() throws {
        var random = SeededRandom(seed: 20_261_204)
        for _ in 0..<300 {
            let profile = randomProfile(&random)
            let text = try writtenText(profile)
            #expect(text == (try foundationText(profile)))
            #expect(try EventCoding.encodeToString(profile) == text)
            #expect(try EventCoding.decode(PersonalityProfile.self, from: text) == profile)
        }
    }

    @Test("the empty profile, and a profile.updated event with and without old values, match as well")
    func updateMatchesFoundation() throws {
        #expect(try writtenText(PersonalityProfile()) == (try foundationText(PersonalityProfile())))
        var random = SeededRandom(seed: 7)
        for _ in 0..<100 {
            let changes = (0..<Int.random(in: 0...12, using: &random)).map { index in
                TraitChange(
                    trait: TraitKey(.bigFive, Self.awkwardStrings[index % Self.awkwardStrings.count]),
                    oldValue: index % 3 == 0 ? nil : Self.awkwardNumbers[index % Self.awkwardNumbers.count],
                    newValue: Double.random(in: 0...1, using: &random), confidence: Double(index) / 12)
            }
            let update = ProfileUpdated(
                version: Int.random(in: 1...1_000, using: &random), changes: changes,
                profile: randomProfile(&random), trigger: EventID("01JTRIGGER\"/\\"))
            let text = try writtenText(update)
            #expect(text == (try foundationText(update)))
            #expect(try EventCoding.encodeToString(update) == text)
            let decoded = try EventCoding.decode(ProfileUpdated.self, from: text)
            #expect(decoded.profile == update.profile && decoded.changes == update.changes)
            #expect(decoded.version == update.version && decoded.trigger == update.trigger)
        }
    }

    @Test("an answer's trait evidence (nulls included) and deep analysis match Foundation's encoder and decode back")
    func evidenceMatchesFoundation() throws {
        var random = SeededRandom(seed: 42)
        func maybeString() -> String? {
            Bool.random(using: &random) ? nil : Self.awkwardStrings.randomElement(using: &random)!
        }
        for _ in 0..<200 {
            let evidence = (0..<Int.random(in: 0...8, using: &random)).map { _ in
                let category = TraitCategory.allCases.randomElement(using: &random)!
                return TraitEvidence(
                    trait: TraitKey(category, Self.awkwardStrings.randomElement(using: &random)!),
                    value: Self.awkwardNumbers.randomElement(using: &random)!, label: maybeString(),
                    confidence: Double.random(in: 0...1, using: &random),
                    source: EvidenceSource.allCases.randomElement(using: &random)!, reference: maybeString())
            }
            let extracted = TraitExtracted(
                sessionID: SessionID("s\"\(Int.random(in: 0...99, using: &random))"), questionID: "q/1",
                evidence: evidence)
            let text = try writtenText(extracted)
            #expect(text == (try foundationText(extracted)))
            #expect(try EventCoding.encodeToString(extracted) == text)
            let decoded = try EventCoding.decode(TraitExtracted.self, from: text)
            #expect(decoded.evidence == evidence && decoded.sessionID == extracted.sessionID)

            let deep = AnswerAnalyzedDeep(
                sessionID: extracted.sessionID, questionID: "q\\2", language: Bool.random(using: &random) ? .en : .ru,
                analysis: DeepAnalysis(
                    evidence: evidence,
                    patterns: (0..<Int.random(in: 0...3, using: &random)).compactMap { _ in maybeString() },
                    insights: Self.awkwardStrings.shuffled(using: &random).prefix(Int.random(in: 0...4, using: &random))
                        .map { $0 }))
            let deepText = try writtenText(deep)
            #expect(deepText == (try foundationText(deep)))
            #expect(try EventCoding.decode(AnswerAnalyzedDeep.self, from: deepText).analysis == deep.analysis)
        }
    }

    @Test("the next question matches Foundation's encoder and decodes back")
    func questionMatchesFoundation() throws {
        var random = SeededRandom(seed: 11)
        for index in 0..<100 {
            let question = QuestionSelected(
                sessionID: SessionID("s\(index)"), questionID: QuestionID(Self.awkwardStrings[index % 9]),
                ordinal: Int.random(in: 1...40, using: &random), targetAnswers: Int.random(in: 1...40, using: &random),
                strategy: SelectionStrategy.allCases.randomElement(using: &random)!,
                text: LocalizedText(
                    en: Self.awkwardStrings.randomElement(using: &random)!,
                    ru: Self.awkwardStrings.randomElement(using: &random)!),
                isScale: Bool.random(using: &random), isRepeat: Bool.random(using: &random))
            let text = try writtenText(question)
            #expect(text == (try foundationText(question)))
            let decoded = try EventCoding.decode(QuestionSelected.self, from: text)
            #expect(decoded.text == question.text && decoded.isScale == question.isScale)
            #expect(decoded.isRepeat == question.isRepeat && decoded.strategy == question.strategy)
        }
    }

    @Test("the conversation state and queued messages match Foundation's encoder and decode back equal")
    func conversationMatchesFoundation() throws {
        var random = SeededRandom(seed: 13)
        func maybeDate() -> Date? {
            Bool.random(using: &random) ? nil : Date(timeIntervalSince1970: Double.random(in: 0...2e9, using: &random))
        }
        for index in 0..<200 {
            var state = ChatState(
                phase: ChatPhase.allCases.randomElement(using: &random)!,
                language: Bool.random(using: &random) ? .en : .ru,
                consentedAt: maybeDate(), sessionID: Bool.random(using: &random) ? nil : SessionID("s/\(index)"),
                pendingQuestion: Bool.random(using: &random)
                    ? nil
                    : PendingQuestion(
                        questionID: QuestionID(Self.awkwardStrings[index % 9]), isScale: Bool.random(using: &random),
                        ordinal: index))
            state.crisisNoticedAt = maybeDate()
            state.crisisTrace = Bool.random(using: &random) ? nil : Self.awkwardStrings[(index + 3) % 9]
            state.erasureOfferedAt = maybeDate()
            let text = try writtenText(state)
            #expect(text == (try foundationText(state)))
            // Dates travel as milliseconds: equal to within one after the round trip, as with Foundation alone.
            var decoded = try EventCoding.decode(ChatState.self, from: text)
            // What a memo of decoded states keeps for this text is exactly what decoding it gives.
            #expect(state.asDecoded == decoded)
            for (read, written) in [
                (decoded.consentedAt, state.consentedAt), (decoded.crisisNoticedAt, state.crisisNoticedAt),
                (decoded.erasureOfferedAt, state.erasureOfferedAt),
            ] {
                #expect((read == nil) == (written == nil))
                if let read, let written { #expect(abs(read.timeIntervalSince(written)) < 0.001) }
            }
            (decoded.consentedAt, decoded.crisisNoticedAt, decoded.erasureOfferedAt) = (
                state.consentedAt, state.crisisNoticedAt, state.erasureOfferedAt
            )
            #expect(decoded == state)

            let buttons = (0..<Int.random(in: 0...3, using: &random)).map { row in
                (0..<Int.random(in: 1...5, using: &random)).map { value in
                    OutgoingMessage.Button(
                        title: Self.awkwardStrings.randomElement(using: &random)!,
                        action: .scale(questionID: QuestionID("q\(row)"), value: value))
                }
            }
            let message = OutgoingMessage(Self.awkwardStrings.randomElement(using: &random)!, buttons: buttons)
            let messageText = try writtenText(message)
            #expect(messageText == (try foundationText(message)))
            #expect(try EventCoding.decode(OutgoingMessage.self, from: messageText) == message)
        }
    }

    @Test("the instant analysis (null emotion included) and the vector event match Foundation's encoder")
    func instantAndVectorMatchFoundation() throws {
        var random = SeededRandom(seed: 17)
        for index in 0..<200 {
            let instant = AnswerAnalyzedInstant(
                sessionID: SessionID("s\(index)"), questionID: QuestionID("q\"\(index)"),
                language: Bool.random(using: &random) ? .en : .ru,
                analysis: InstantAnalysis(
                    valence: Self.awkwardNumbers.randomElement(using: &random)!,
                    emotion: Bool.random(using: &random) ? nil : Emotion.allCases.randomElement(using: &random)!,
                    quality: Double.random(in: 0...1, using: &random),
                    insight: Self.awkwardStrings.randomElement(using: &random)!,
                    wordCount: Int.random(in: 0...400, using: &random), saidTired: Bool.random(using: &random)))
            let text = try writtenText(instant)
            #expect(text == (try foundationText(instant)))
            #expect(try EventCoding.decode(AnswerAnalyzedInstant.self, from: text).analysis == instant.analysis)

            let vector = ProfileVectorUpdated(
                model: "local-hash-v1", summary: Self.awkwardStrings.randomElement(using: &random)!,
                vector: (0..<Int.random(in: 0...64, using: &random)).map { _ in Float.random(in: -1...1, using: &random)
                })
            let vectorText = try writtenText(vector)
            #expect(vectorText == (try foundationText(vector)))
            #expect(try EventCoding.decode(ProfileVectorUpdated.self, from: vectorText).vector == vector.vector)
        }
    }

    /// A property added to one of these types must be added to its writer too, or it would silently never be
    /// stored: with every optional set, each stored property must appear as a key.
    func expectEveryPropertyWritten(_ value: some JSONTextEncodable) throws {
        let object = try JSONSerialization.jsonObject(with: Data(try writtenText(value).utf8)) as? [String: Any]
        #expect(object?.count == Mirror(reflecting: value).children.count, "\(type(of: value))")
    }

    @Test("every hand-written type writes every stored property (a new one cannot be forgotten)")
    func noPropertyForgotten() throws {
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let score = TraitScore(
            value: 0.5, weight: 2, label: "kinesthetic", labelWeights: ["kinesthetic": 1],
            sources: [.model: SourceTally(count: 1, weightedSum: 0.5, weight: 1)])
        var profile = PersonalityProfile()
        profile[.bigFive(.openness)] = score
        profile.signature = UniqueSignature(thinkingStyle: "a", decisionPattern: "b", energyRhythm: "c")
        let evidence = TraitEvidence(
            trait: .bigFive(.openness), value: 0.5, label: "l", confidence: 0.5, source: .model, reference: "r")
        let change = TraitChange(trait: .bigFive(.openness), oldValue: 0.4, newValue: 0.5, confidence: 0.5)
        let pending = PendingQuestion(questionID: "q1", isScale: true, ordinal: 1)
        var state = ChatState(
            phase: .waitingForAnswer, language: .ru, consentedAt: date, sessionID: "s1", pendingQuestion: pending)
        state.crisisNoticedAt = date
        state.crisisTrace = "t1"
        state.erasureOfferedAt = date
        let instant = InstantAnalysis(
            valence: 0.5, emotion: .joy, quality: 0.5, insight: "i", wordCount: 3, saidTired: false)
        let deep = DeepAnalysis(evidence: [evidence], patterns: ["p"], insights: ["i"])
        let values: [any JSONTextEncodable] = [
            score, SourceTally(count: 1, weightedSum: 0.5, weight: 1), profile, profile.signature!, evidence,
            TraitKey.bigFive(.openness), change, pending, state, instant, deep,
            ProfileUpdated(version: 2, changes: [change], profile: profile, trigger: EventID("e1")),
            TraitExtracted(sessionID: "s1", questionID: "q1", evidence: [evidence]),
            AnswerAnalyzedInstant(sessionID: "s1", questionID: "q1", language: .en, analysis: instant),
            AnswerAnalyzedDeep(sessionID: "s1", questionID: "q1", language: .en, analysis: deep),
            QuestionSelected(
                sessionID: "s1", questionID: "q1", ordinal: 1, targetAnswers: 10, strategy: .entry,
                text: LocalizedText(en: "e", ru: "р"), isScale: false, isRepeat: true),
            LocalizedText(en: "e", ru: "р"), ProfileVectorUpdated(model: "m", summary: "s", vector: [1, 2]),
            OutgoingMessage(
                "t", buttons: [[OutgoingMessage.Button(title: "b", action: .consent(true))]],
                document: .init(fileName: "f", contents: "c")),
            OutgoingMessage.Document(fileName: "f", contents: "c"),
        ]
        for value in values { try expectEveryPropertyWritten(value) }
    }

    @Test("a value that is not a number is refused, as Foundation's encoder refuses it")
    func notANumber() {
        var profile = PersonalityProfile()
        profile[.bigFive(.openness)] = TraitScore(value: .nan, weight: 1)
        #expect(throws: JSONTextWriter.Failure.self) { try writtenText(profile) }
        #expect(throws: EncodingError.self) { try foundationText(profile) }
    }
}
