import Foundation
import Logging
import SelfologyCore

/// Service 3, phase 2: trait extraction in the background, in a consumer group of its own.
public struct DeepAnalysisHandler: EventHandler {
    public let group = ConsumerGroup.analysisDeep
    let bank: QuestionBank
    let analyzer: DeepAnalyzer
    let logger: Logger

    public init(bank: QuestionBank, analyzer: DeepAnalyzer, logger: Logger) {
        self.bank = bank
        self.analyzer = analyzer
        self.logger = logger
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        guard event.type == .answerSubmitted else { return }
        let answer = try event.decode(AnswerSubmitted.self)
        guard let question = bank[answer.questionID] else {
            // The bank no longer has this question (content changed); there is nothing to score it against.
            logger.warning("answer to unknown question", metadata: ["question_id": "\(answer.questionID)"])
            return
        }
        let analysis = analyzer.analyze(
            answer: answer.text, scaleValue: answer.scaleValue, question: question, language: answer.language)
        try context.emit(
            AnswerAnalyzedDeep(
                sessionID: answer.sessionID, questionID: answer.questionID, language: answer.language,
                analysis: analysis),
            for: event.userID)
        if !analysis.evidence.isEmpty {
            try context.emit(
                TraitExtracted(sessionID: answer.sessionID, questionID: answer.questionID, evidence: analysis.evidence),
                for: event.userID)
        }
    }
}
