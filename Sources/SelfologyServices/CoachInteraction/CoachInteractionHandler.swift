import Foundation
import SelfologyCore

/// Service 7: personalised coaching. Keeps its own copy of the profile and the insights (from events), loads the
/// context (profile, last 20 turns, recent insights, what similar people engage with, from its copy of the
/// profile vectors), adapts the style and answers. The reply is composed in `prepare`, outside the transaction, because a model may take seconds.
public struct CoachInteractionHandler: EventHandler {
    public let group = ConsumerGroup.coachInteraction
    public let preparesOutsideTransaction = true
    let intelligence: any Intelligence
    let search: ProfileSearch?
    let memo: ProfileMemo
    /// Conversation turns given to the coach as context.
    static let contextTurns = 20
    static let contextInsights = 5
    static let similarProfiles = 10

    public init(intelligence: any Intelligence, search: ProfileSearch?, memo: ProfileMemo = ProfileMemo()) {
        self.intelligence = intelligence
        self.search = search
        self.memo = memo
    }

    struct ProfileCopy: Sendable {
        let json: String
    }

    struct Reply: Sendable {
        let text: Judged<String>
        let style: CoachingStyle
    }

    public func prepare(_ event: EventEnvelope, store: any Database) async throws -> (any Sendable)? {
        if event.type == .profileUpdated {
            // The copy's JSON, encoded before the transaction rather than in it.
            return ProfileCopy(json: try EventCoding.encodeToString(try event.decode(ProfileUpdated.self).profile))
        }
        guard event.type == .messageReceived else { return nil }
        let message = try event.decode(MessageReceived.self)
        let user = event.userID
        let memo = self.memo
        let known = try await store.read { db in
            (
                profile: try await memo.load(user, from: .coach, reading: db)?.profile,
                turns: try await CoachStore.recentTurns(of: user, limit: Self.contextTurns, in: db),
                insights: try await CoachStore.recentInsights(of: user, limit: Self.contextInsights, in: db),
                vector: try await SQLVectorIndex.vector(of: user, in: SQLVectorIndex.coach, db: db)
            )
        }
        let peers = await peerDomains(of: known.vector, store: store)
        return await reply(
            to: message, user: user, profile: known.profile ?? PersonalityProfile(), turns: known.turns,
            insights: known.insights, peerDomains: peers)
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
            let json = try (context.prepared as? ProfileCopy)?.json ?? EventCoding.encodeToString(update.profile)
            try await CoachStore.saveProfile(json: json, version: update.version, user: user, in: db)
            let memo = self.memo
            context.onCommit { memo.remember(update.profile, version: update.version, of: user) }

        case .profileVectorUpdated:
            let update = try event.decode(ProfileVectorUpdated.self)
            try await SQLVectorIndex.upsert(
                ProfileVector(
                    userID: user, vector: update.vector, model: update.model, summary: update.summary,
                    createdAt: event.occurredAt),
                into: SQLVectorIndex.coach, in: db)

        case .answerAnalyzedDeep:
            let deep = try event.decode(AnswerAnalyzedDeep.self).analysis
            let items =
                deep.patterns.map { (type: "pattern", content: $0) }
                + deep.insights.map { (type: "insight", content: $0) }
            try await CoachStore.addInsights(items, user: user, now: context.now, in: db)

        case .messageReceived:
            let message = try event.decode(MessageReceived.self)
            var prepared = context.prepared as? Reply
            if prepared == nil {
                // Only when a caller skipped `prepare`: compose here, without similar profiles.
                prepared = await reply(
                    to: message, user: user,
                    profile: try await CoachStore.profile(of: user, memo: memo, context: context)
                        ?? PersonalityProfile(),
                    turns: try await CoachStore.recentTurns(of: user, limit: Self.contextTurns, in: db),
                    insights: try await CoachStore.recentInsights(of: user, limit: Self.contextInsights, in: db),
                    peerDomains: [])
            }
            guard let reply = prepared else { return }
            try await CoachStore.append(
                [
                    ConversationTurn(role: .user, text: message.text),
                    ConversationTurn(role: .coach, text: reply.text.value),
                ],
                user: user, now: context.now, in: db)
            try await UsageStore.record(reply.text.usage, user: user, now: context.now, in: db)
            try context.emit(
                CoachMessageReady(
                    text: reply.text.value, language: message.language, style: reply.style, inReplyTo: event.id),
                for: user)

        default:
            return
        }
    }

    private func reply(
        to message: MessageReceived, user: UserID, profile: PersonalityProfile, turns: [ConversationTurn],
        insights: [String], peerDomains: [String]
    ) async -> Reply {
        let style = CoachingStyle.adapted(to: profile)
        let context = CoachContext(
            profile: profile, style: style, recentTurns: turns, insights: insights, language: message.language,
            peerDomains: peerDomains)
        let text = await intelligence.coachReply(CoachTask(userID: user, message: message.text, context: context))
        return Reply(text: text, style: style)
    }

    /// The domains similar people engage with, from their profiles as this service knows them.
    private func peerDomains(of vector: ProfileVector?, store: any Database) async -> [String] {
        guard let vector, let search else { return [] }
        let similar = await search.similar(to: vector, limit: Self.similarProfiles)
        guard !similar.isEmpty else { return [] }
        let memo = self.memo
        let peers: [PersonalityProfile] =
            (try? await store.read { db -> [PersonalityProfile] in
                var profiles: [PersonalityProfile] = []
                for peer in similar {
                    if let profile = try await memo.load(peer.userID, from: .coach, reading: db)?.profile {
                        profiles.append(profile)
                    }
                }
                return profiles
            }) ?? []
        return PeerDomains.common(among: peers)
    }
}
