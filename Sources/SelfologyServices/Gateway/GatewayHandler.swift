import Foundation
import SelfologyCore

/// Service 6, event side: turns other services' events into messages for the person.
public struct GatewayHandler: EventHandler {
    public let group = ConsumerGroup.gateway
    let handoff: DispatchHandoff
    /// For a crisis a model reads later than the front door's patterns (`SafetyCrisisSuspected`).
    let safety: SafetyPolicy

    public init(handoff: DispatchHandoff, safety: SafetyPolicy) {
        self.handoff = handoff
        self.safety = safety
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        try await handle(batch: [(event, context)])
    }

    /// The batch's people's states are read in one statement, and what changed is written in one, with all the
    /// batch's messages in one more: three statements however many events (one each per event before).
    public func handle(batch: [BatchItem]) async throws {
        guard let db = batch.first?.context.db else { return }
        // Events only exist for people who consented, so their state is in the store, unless they were forgotten
        // (/forget) since: then there is nothing to tell them.
        var states = try await GatewayStore.states(of: batch.map(\.event.userID), forUpdate: true, in: db)
        var changed: [UserID: ChatState] = [:]
        var replies: [GatewayStore.Reply] = []
        for (event, context) in batch {
            let user = event.userID
            guard let state = states[user] else { continue }
            if event.type == .userDataCollected {
                let part = try event.decode(UserDataCollected.self)
                if let copy = try await DataCopies.add(
                    part, of: event, language: state.language, now: context.now, in: db)
                {
                    replies.append(.init(user: user, message: copy, queuedAt: context.now))
                }
                continue
            }
            let reaction: ChatReaction
            if event.type == .safetyCrisisSuspected {
                reaction = ConversationMachine.handle(
                    try event.decode(SafetyCrisisSuspected.self), trace: event.traceID, state: state, now: context.now,
                    safety: safety)
            } else if let gatewayEvent = try Self.gatewayEvent(from: event) {
                reaction = ConversationMachine.handle(gatewayEvent, state: state)
            } else {
                continue
            }
            if reaction.state != state {
                // A person's later event in the batch starts from the state this one left.
                states[user] = reaction.state
                changed[user] = reaction.state
            }
            replies += reaction.replies.map { .init(user: user, message: $0, queuedAt: context.now) }
            try context.emit(reaction.events, for: user)
        }
        try await GatewayStore.save(changed, now: batch[batch.count - 1].context.now, in: db)
        let queued = try await GatewayStore.enqueue(replies, in: db)
        if !queued.isEmpty { batch[0].context.onCommit { [handoff] in handoff.hand(queued) } }
    }

    static func gatewayEvent(from event: EventEnvelope) throws -> GatewayEvent? {
        switch event.type {
        case .sessionCreated: .sessionStarted(try event.decode(SessionCreated.self).session, resumed: false)
        case .sessionResumed: .sessionStarted(try event.decode(SessionResumed.self).session, resumed: true)
        case .questionSelected: .questionSelected(try event.decode(QuestionSelected.self))
        case .sessionFatigueDetected: .breakOffered(try event.decode(SessionFatigueDetected.self))
        case .answerAnalyzedInstant:
            .instantFeedback(try event.decode(AnswerAnalyzedInstant.self), trace: event.traceID)
        case .sessionPaused: .sessionPaused(try event.decode(SessionPaused.self).session)
        case .sessionTimedOut: .sessionTimedOut(try event.decode(SessionTimedOut.self).session)
        case .sessionCompleted: .sessionCompleted(try event.decode(SessionCompleted.self).session)
        case .coachMessageReady: .coachReply(try event.decode(CoachMessageReady.self))
        case .profileSnapshotReady: .profileSnapshot(try event.decode(ProfileSnapshotReady.self))
        default: nil
        }
    }
}
