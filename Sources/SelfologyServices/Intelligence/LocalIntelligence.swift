import SelfologyCore

/// The offline tier: lexicon analysis, the rule-based coach and hashed n-gram embeddings. Deterministic, free,
/// and always available, so it is the embedded runtime's default and every router chain's last step. Its answers
/// carry no usage: it costs nothing, and counting it on every answer would cost the embedded runtime a write per
/// event (the router records it when it falls back).
public struct LocalIntelligence: Intelligence {
    public let instant: InstantAnalyzer
    public let deep: DeepAnalyzer
    public let coach: LocalCoach

    public static let analysisModel = "local:lexicon-v1"
    public static let coachModel = "local:rule-coach-v1"
    public static let crisisModel = "local:patterns"

    public init(instant: InstantAnalyzer, deep: DeepAnalyzer, coach: LocalCoach) {
        self.instant = instant
        self.deep = deep
        self.coach = coach
    }

    public func instantAnalysis(_ task: AnswerTask) async -> Judged<InstantAnalysis> {
        Judged(value: instantNow(task), model: Self.analysisModel, usage: [])
    }

    public func deepAnalysis(_ task: AnswerTask) async -> Judged<DeepAnalysis> {
        Judged(value: deepNow(task), model: Self.analysisModel, usage: [])
    }

    public func coachReply(_ task: CoachTask) async -> Judged<String> {
        Judged(value: coachNow(task), model: Self.coachModel, usage: [])
    }

    public func profileEmbedding(of summary: String, user: UserID) async -> Judged<[Float]> {
        Judged(value: HashedEmbedding.embed(summary), model: HashedEmbedding.model, usage: [])
    }

    /// The patterns already ran at the front door: offline there is no second opinion.
    public func crisisCheck(_ task: CrisisCheckTask) async -> Judged<CrisisCheck> {
        Judged(value: .safe, model: Self.crisisModel, usage: [])
    }

    public var embeddingModel: String { HashedEmbedding.model }

    // Synchronous forms for the router's fallback, which must not suspend once the remote budget is spent.

    public func instantNow(_ task: AnswerTask) -> InstantAnalysis {
        instant.analyze(
            answer: task.answer, scaleValue: task.scaleValue, question: task.question, language: task.language)
    }

    /// An answer to a question the bank no longer has gives no evidence.
    public func deepNow(_ task: AnswerTask) -> DeepAnalysis {
        guard let question = task.question else { return DeepAnalysis(evidence: [], patterns: [], insights: []) }
        return deep.analyze(
            answer: task.answer, scaleValue: task.scaleValue, question: question, language: task.language)
    }

    public func coachNow(_ task: CoachTask) -> String {
        coach.reply(to: task.message, context: task.context)
    }
}
