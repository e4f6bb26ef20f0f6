import SelfologyCore
import SelfologyServices

/// The seed's tiers. A chain always runs downwards: premium → standard → simple → the local tier.
public enum ModelTier: String, Sendable, CaseIterable, Comparable, Codable {
    case premium, standard, simple

    var rank: Int {
        switch self {
        case .premium: 2
        case .standard: 1
        case .simple: 0
        }
    }

    public static func < (left: ModelTier, right: ModelTier) -> Bool { left.rank < right.rank }

    /// This tier and every cheaper one, most capable first.
    var chain: [ModelTier] { ModelTier.allCases.filter { $0 <= self }.sorted(by: >) }
}

/// Which tier a task starts at (pure, so it is tested directly).
public struct TierPolicy: Sendable {
    /// The most premium calls may take of all routed calls (the seed: Claude 10%).
    public var premiumShare: Double
    /// From this share of a daily budget on, only the simple tier is used.
    public var downgradeAt: Double

    public init(premiumShare: Double = 0.10, downgradeAt: Double = 0.8) {
        self.premiumShare = premiumShare
        self.downgradeAt = downgradeAt
    }

    /// Instant analysis and crisis checks → simple; deep analysis → standard, premium for deep questions (SHADOW,
    /// CORE), heavy ones, or a clearly distressed answer; coach → standard; embeddings have their own model.
    public static func preferred(for task: AITask, question: Question?, valence: Double) -> ModelTier {
        switch task {
        case .instantAnalysis, .profileEmbedding, .crisisCheck, .messageCrisisCheck:
            return .simple
        case .coachReply:
            return .standard
        case .deepAnalysis:
            guard let question else { return .standard }
            let heavy = question.depth >= .shadow || question.energy == .heavy || valence <= -0.5
            return heavy ? .premium : .standard
        }
    }

    /// Applies the budgets and the premium share. nil: the budget is spent, only the local tier may answer.
    /// `budgetUse` is the larger of the person's and the overall share of their daily budget already spent.
    public func start(preferred: ModelTier, budgetUse: Double, premiumCalls: Int, routedCalls: Int) -> ModelTier? {
        if budgetUse >= 1 { return nil }
        if budgetUse >= downgradeAt { return .simple }
        if preferred == .premium, Double(premiumCalls + 1) > premiumShare * Double(routedCalls + 1) {
            return .standard
        }
        return preferred
    }
}
