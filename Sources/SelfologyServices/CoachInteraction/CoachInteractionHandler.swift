import Foundation
import SelfologyCore

/// Service 7: personalised coaching. Keeps its own copy of the profile and the insights (from events), loads the
/// context (profile, last 20 turns, recent insights, what similar people engage with, from its copy of the
/// profile vectors), adapts the style and answers. The reply is composed in `prepare`, outside the transaction,
/// because a model may take seconds. Beside it, a model's second opinion on danger in the message (`CrisisCheck`):
/// when it reads danger, the gateway meets the person with care and no coach reply is sent.
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
        /// A model read danger in the message: the person is met with care instead of this reply.
        let suspected: SafetyCrisisSuspected?
        let checkUsage: [ModelUsage]
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

    /// The coach's copies (profile, vector), the conversation and its insights, and what its model calls cost.
    public var personalTables: [PersonalTable] {
        [
            PersonalTable("conversations"), PersonalTable("insights"),
            PersonalTable("coach_profiles", jsonColumns: ["profile"]), PersonalTable(SQLVectorIndex.coach),
            .modelUsage(of: .coachReply), .modelUsage(of: .messageCrisisCheck),
        ]
    }

    public func forget(_ user: UserID, context: HandlerContext) async throws {
        try await PersonalRows.delete(user, from: personalTables, in: context.db)
        context.onCommit { [memo] in memo.forget(user) }
    }

    /// The copies kept from events (profiles, vectors, insights) are written a stretch of events at a time, in a
    /// few statements; a message ends the stretch and is answered on its own.
    public func handle(batch: [BatchItem]) async throws {
        try await handle(
            batch: batch, stretchesOf: [.profileUpdated, .profileVectorUpdated, .answerAnalyzedDeep], bulk: keepCopies)
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        let user = event.userID
        let db = context.db
        switch event.type {
        case .profileUpdated, .profileVectorUpdated, .answerAnalyzedDeep:
            try await keepCopies([(event, context)])

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
            try await UsageStore.record(reply.text.usage + reply.checkUsage, user: user, now: context.now, in: db)
            if let suspected = reply.suspected {
                // The gateway meets the person; the message goes nowhere else, as when the patterns find danger.
                try context.emit(suspected, for: user)
                return
            }
            try await CoachStore.append(
                [
                    ConversationTurn(role: .user, text: message.text),
                    ConversationTurn(role: .coach, text: reply.text.value),
                ],
                user: user, now: context.now, in: db)
            try context.emit(
                CoachMessageReady(
                    text: reply.text.value, language: message.language, style: reply.style, inReplyTo: event.id),
                for: user)

        default:
            return
        }
    }

    /// Keeps the coach's copies from a stretch of events: the newest profile version of each person (updates can
    /// arrive out of order across partitions), their vectors and their insights, one statement for each.
    private func keepCopies(_ stretch: [BatchItem]) async throws {
        guard let first = stretch.first?.context else { return }
        let db = first.db
        var updates: [(user: UserID, update: ProfileUpdated, json: () throws -> String)] = []
        var vectors: [ProfileVector] = []
        var insights: [CoachStore.Insight] = []
        for (event, context) in stretch {
            let user = event.userID
            switch event.type {
            case .profileUpdated:
                let update = try event.decode(ProfileUpdated.self)
                let prepared = (context.prepared as? ProfileCopy)?.json
                updates.append((user, update, { try prepared ?? EventCoding.encodeToString(update.profile) }))
            case .profileVectorUpdated:
                let update = try event.decode(ProfileVectorUpdated.self)
                vectors.append(
                    ProfileVector(
                        userID: user, vector: update.vector, model: update.model, summary: update.summary,
                        createdAt: event.occurredAt))
            case .answerAnalyzedDeep:
                let deep = try event.decode(AnswerAnalyzedDeep.self).analysis
                insights += deep.patterns.map { .init(user: user, type: "pattern", content: $0, at: context.now) }
                insights += deep.insights.map { .init(user: user, type: "insight", content: $0, at: context.now) }
            default:
                continue
            }
        }
        var versions = try await ProfileTable.coach.versions(of: Set(updates.map(\.user)), in: db)
        var newest: [UserID: (update: ProfileUpdated, json: String)] = [:]
        for (user, update, json) in updates where update.version > (versions[user] ?? 0) {
            versions[user] = update.version
            newest[user] = (update, try json())
        }
        try await CoachStore.saveProfiles(newest.mapValues { ($0.json, $0.update.version) }, in: db)
        try await SQLVectorIndex.upsert(vectors, into: SQLVectorIndex.coach, in: db)
        try await CoachStore.addInsights(insights, in: db)
        let (memo, kept) = (self.memo, newest)
        first.onCommit {
            for (user, kept) in kept { memo.remember(kept.update.profile, version: kept.update.version, of: user) }
        }
    }

    private func reply(
        to message: MessageReceived, user: UserID, profile: PersonalityProfile, turns: [ConversationTurn],
        insights: [String], peerDomains: [String]
    ) async -> Reply {
        // The second opinion runs beside the reply's model call: the answer waits only for the slower of the two.
        async let checked = intelligence.dangerReading(
            of: CrisisCheckTask(userID: user, text: message.text, language: message.language, source: .message))
        let style = CoachingStyle.adapted(to: profile)
        let context = CoachContext(
            profile: profile, style: style, recentTurns: turns, insights: insights, language: message.language,
            peerDomains: peerDomains)
        let text = await intelligence.coachReply(CoachTask(userID: user, message: message.text, context: context))
        let (suspected, checkUsage) = await checked
        return Reply(text: text, style: style, suspected: suspected, checkUsage: checkUsage)
    }

    /// The domains similar people engage with, from their profiles as this service knows them.
    private func peerDomains(of vector: ProfileVector?, store: any Database) async -> [String] {
        guard let vector, let search else { return [] }
        let similar = await search.similar(to: vector, limit: Self.similarProfiles)
        guard !similar.isEmpty else { return [] }
        let memo = self.memo
        // One read for all of them: their versions, then the documents not in memory.
        let peers =
            (try? await store.read { db in
                try await memo.load(Set(similar.map(\.userID)), from: .coach, reading: db)
            }) ?? [:]
        return PeerDomains.common(among: similar.compactMap { peers[$0.userID]?.profile })
    }
}
