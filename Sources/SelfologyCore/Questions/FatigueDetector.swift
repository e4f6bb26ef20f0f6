/// Notices when a person is getting tired, from the shape of their recent answers, so Smart Mix can offer a
/// pause or a graceful end instead of another question.
public struct FatigueAssessment: Sendable, Equatable, Codable {
    public enum Signal: String, Sendable, Codable, CaseIterable {
        case saidTired = "said_tired"
        case shorterAnswers = "shorter_answers"
        case fastReplies = "fast_replies"
        case skips
        case decliningMood = "declining_mood"
    }

    public let signals: [Signal]
    public let score: Double

    public var isFatigued: Bool { score >= FatigueDetector.threshold }
}

public enum FatigueDetector {
    public static let threshold = 0.6
    static let weights: [FatigueAssessment.Signal: Double] = [
        .saidTired: 1.0, .shorterAnswers: 0.35, .fastReplies: 0.25, .skips: 0.4, .decliningMood: 0.3,
    ]
    /// Open answers faster than this (seconds) read as rushing.
    static let fastReply = 4.0

    public static func assess(_ session: [AskedQuestion], isScale: (QuestionID) -> Bool) -> FatigueAssessment {
        let settled = session.filter { $0.outcome != .pending }
        var signals: [FatigueAssessment.Signal] = []
        if settled.last?.saidTired == true { signals.append(.saidTired) }

        let open = settled.filter { $0.outcome == .answered && !isScale($0.questionID) }
        let words = open.compactMap(\.wordCount).map(Double.init)
        // Shorter than the person's own start: a terse person is not tired just for being terse.
        if words.count >= 4 {
            let baseline = words.prefix(2).reduce(0, +) / 2
            let recent = words.suffix(2).reduce(0, +) / 2
            if baseline >= 6 && recent <= baseline * 0.4 { signals.append(.shorterAnswers) }
        }
        let recentTimes = open.suffix(2).compactMap(\.responseSeconds)
        if recentTimes.count == 2 && recentTimes.allSatisfy({ $0 < fastReply })
            && (open.suffix(2).compactMap(\.wordCount).max() ?? 0) < 6
        {
            signals.append(.fastReplies)
        }
        if settled.suffix(4).filter({ $0.outcome == .skipped }).count >= 2 { signals.append(.skips) }
        let moods = open.compactMap(\.valence)
        if moods.count >= 4 {
            let earlier = moods.dropLast(2).reduce(0, +) / Double(moods.count - 2)
            let recent = moods.suffix(2).reduce(0, +) / 2
            if earlier - recent >= 0.4 { signals.append(.decliningMood) }
        }
        let score = min(1, signals.reduce(0) { $0 + (weights[$1] ?? 0) })
        return FatigueAssessment(signals: signals, score: score)
    }
}
