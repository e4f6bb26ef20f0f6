import Foundation
import SelfologyCore

/// One answer to analyse (phase 1 or phase 2).
public struct AnswerTask: Sendable {
    public let userID: UserID
    public let answer: String
    public let scaleValue: Int?
    /// nil when the bank no longer has the question.
    public let question: Question?
    public let language: Language

    public init(userID: UserID, answer: String, scaleValue: Int?, question: Question?, language: Language) {
        self.userID = userID
        self.answer = answer
        self.scaleValue = scaleValue
        self.question = question
        self.language = language
    }
}

/// One message to answer as the coach, with everything the coach knows.
public struct CoachTask: Sendable {
    public let userID: UserID
    public let message: String
    public let context: CoachContext

    public init(userID: UserID, message: String, context: CoachContext) {
        self.userID = userID
        self.message = message
        self.context = context
    }
}

/// One text the crisis patterns let through, for a model's second opinion (`CrisisCheck`).
public struct CrisisCheckTask: Sendable {
    public let userID: UserID
    public let text: String
    public let language: Language
    /// An answer (checked by the instant analysis) or a chat message (checked by the coach before it replies).
    public let source: SafetyCrisisDetected.Source

    public init(userID: UserID, text: String, language: Language, source: SafetyCrisisDetected.Source) {
        self.userID = userID
        self.text = text
        self.language = language
        self.source = source
    }

    /// Accounted apart, as two services make these calls and each keeps (and deletes, and copies) only its own.
    public var aiTask: AITask { source == .answer ? .crisisCheck : .messageCrisisCheck }
}

/// What the AI work of a task is, for tier choice, budgets and the usage table.
public enum AITask: String, Sendable, Codable, CaseIterable {
    case instantAnalysis = "instant_analysis"
    case deepAnalysis = "deep_analysis"
    case coachReply = "coach_reply"
    case profileEmbedding = "profile_embedding"
    /// A crisis check of an answer (instant analysis).
    case crisisCheck = "crisis_check"
    /// A crisis check of a chat message (the coach).
    case messageCrisisCheck = "message_crisis_check"
}

/// One model call's cost, written to `ai_usage` in the same transaction as the effect it produced.
public struct ModelUsage: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable {
        /// The answer was used.
        case used
        /// The call failed (timeout, error, breaker open) or its output was rejected; another tier answered.
        case failed
    }

    public let task: AITask
    /// `premium`, `standard`, `simple`, `embedding` or `local`.
    public let tier: String
    public let model: String
    public let outcome: Outcome
    public let inputTokens: Int
    public let outputTokens: Int
    /// Millionths of a US dollar, from the configured price table.
    public let costMicros: Int64

    public init(
        task: AITask, tier: String, model: String, outcome: Outcome, inputTokens: Int, outputTokens: Int,
        costMicros: Int64
    ) {
        self.task = task
        self.tier = tier
        self.model = model
        self.outcome = outcome
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.costMicros = costMicros
    }
}

/// A result with the model that produced it and what every call on the way cost.
public struct Judged<Value: Sendable>: Sendable {
    public let value: Value
    /// `ModelID` text of whoever answered (`local:…` for the offline tier).
    public let model: String
    public let usage: [ModelUsage]

    public init(value: Value, model: String, usage: [ModelUsage]) {
        self.value = value
        self.model = model
        self.usage = usage
    }
}

/// The analysis worker's, the coach's and profile storage's access to intelligence: the local tier alone
/// (embedded default, deterministic and offline) or the router over remote models with the local tier as the last
/// fallback. Never throws: when everything remote fails, the local tier answers.
public protocol Intelligence: Sendable {
    func instantAnalysis(_ task: AnswerTask) async -> Judged<InstantAnalysis>
    func deepAnalysis(_ task: AnswerTask) async -> Judged<DeepAnalysis>
    func coachReply(_ task: CoachTask) async -> Judged<String>
    /// A second opinion on a text the crisis patterns let through; the local tier has none and says it is safe.
    func crisisCheck(_ task: CrisisCheckTask) async -> Judged<CrisisCheck>
    /// A unit vector for the profile summary, and the model that made it (vectors of different models are
    /// never compared).
    func profileEmbedding(of summary: String, user: UserID) async -> Judged<[Float]>
    /// The embedding model used when all is well; a vector made by another one is made again.
    var embeddingModel: String { get }
}

extension Intelligence {
    /// The second opinion on a text (`crisisCheck`) as the services that reply to a person's text use it: the
    /// event the gateway acts on when the model reads danger, and what the call cost; nothing for no text.
    func dangerReading(of task: CrisisCheckTask?) async -> (SafetyCrisisSuspected?, [ModelUsage]) {
        guard let task else { return (nil, []) }
        let judged = await crisisCheck(task)
        guard judged.value.inDanger else { return (nil, judged.usage) }
        return (SafetyCrisisSuspected(categories: judged.value.found, source: task.source), judged.usage)
    }
}
