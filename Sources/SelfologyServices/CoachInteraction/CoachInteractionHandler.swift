import Foundation
import SelfologyCore

/// Service 7: personalised coaching. Keeps its own copy of the profile and the insights (from events), loads the
/// context (profile, last 20 turns, recent insights), adapts the style and answers.
public struct CoachInteractionHandler: EventHandler {
    public let group = ConsumerGroup.coachInteraction
    let coach: LocalCoach
    let memo: ProfileMemo
    /// Conversation turns given to the coach as context.
    static let contextTurns = 20
    static let contextInsights = 5

    public init(coach: LocalCoach, memo: ProfileMemo = ProfileMemo()) {
        self.coach = coach
        self.memo = memo
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        let user = event.userID
        let db = context.db
        switch event.type {
        case .profileUpdated:
            let update = try event.decode(ProfileUpdated.self)
            let current = try await CoachStore.version(of: user, in: db)
            // Updates can arrive out of order across partitions; keep the newest version only.
            guard update.version > (current ?? 0) else { return }
            try await CoachStore.saveProfile(update.profile, version: update.version, user: user, in: db)
            let memo = self.memo
            context.onCommit { memo.remember(update.profile, version: update.version, of: user) }

        case .answerAnalyzedDeep:
            let deep = try event.decode(AnswerAnalyzedDeep.self).analysis
            let items =
                deep.patterns.map { (type: "pattern", content: $0) }
                + deep.insights.map { (type: "insight", content: $0) }
            try await CoachStore.addInsights(items, user: user, now: context.now, in: db)

        case .messageReceived:
            let message = try event.decode(MessageReceived.self)
            let profile = try await CoachStore.profile(of: user, memo: memo, context: context) ?? PersonalityProfile()
            let style = CoachingStyle.adapted(to: profile)
            let coachContext = CoachContext(
                profile: profile, style: style,
                recentTurns: try await CoachStore.recentTurns(of: user, limit: Self.contextTurns, in: db),
                insights: try await CoachStore.recentInsights(of: user, limit: Self.contextInsights, in: db),
                language: message.language)
            let reply = coach.reply(to: message.text, context: coachContext)
            try await CoachStore.append(
                [ConversationTurn(role: .user, text: message.text), ConversationTurn(role: .coach, text: reply)],
                user: user, now: context.now, in: db)
            try context.emit(
                CoachMessageReady(text: reply, language: message.language, style: style, inReplyTo: event.id), for: user
            )

        default:
            return
        }
    }
}
