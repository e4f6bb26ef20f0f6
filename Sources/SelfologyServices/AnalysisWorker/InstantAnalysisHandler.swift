import Foundation
import SelfologyCore

/// Service 3, phase 1: instant feedback on an answer. Runs in its own consumer group so that it never waits
/// behind deep analysis.
public struct InstantAnalysisHandler: EventHandler {
    public let group = ConsumerGroup.analysisInstant
    let bank: QuestionBank
    let analyzer: InstantAnalyzer

    public init(bank: QuestionBank, analyzer: InstantAnalyzer) {
        self.bank = bank
        self.analyzer = analyzer
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        guard event.type == .answerSubmitted else { return }
        let answer = try event.decode(AnswerSubmitted.self)
        let analysis = analyzer.analyze(
            answer: answer.text, scaleValue: answer.scaleValue, question: bank[answer.questionID],
            language: answer.language)
        try context.emit(
            AnswerAnalyzedInstant(
                sessionID: answer.sessionID, questionID: answer.questionID, language: answer.language,
                analysis: analysis),
            for: event.userID)
    }
}
