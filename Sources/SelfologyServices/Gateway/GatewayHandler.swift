import Foundation
import SelfologyCore

/// Service 6, event side: turns other services' events into messages for the person.
public struct GatewayHandler: EventHandler {
    public let group = ConsumerGroup.gateway
    let dispatchSignal: WakeSignal

    public init(dispatchSignal: WakeSignal) { self.dispatchSignal = dispatchSignal }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        let user = event.userID
        // Events only exist for people who consented, so their state is in the store.
        guard let state = try await GatewayStore.state(of: user, in: context.db),
            let gatewayEvent = try Self.gatewayEvent(from: event)
        else { return }
        let reaction = ConversationMachine.handle(gatewayEvent, state: state)
        if reaction.state != state {
            try await GatewayStore.save(reaction.state, of: user, now: context.now, in: context.db)
        }
        try await GatewayStore.enqueue(reaction.replies, for: user, now: context.now, in: context.db)
        try context.emit(reaction.events, for: user)
        if !reaction.replies.isEmpty { context.wake(dispatchSignal) }
    }

    static func gatewayEvent(from event: EventEnvelope) throws -> GatewayEvent? {
        switch event.type {
        case .sessionCreated: .sessionStarted(try event.decode(SessionCreated.self).session, resumed: false)
        case .sessionResumed: .sessionStarted(try event.decode(SessionResumed.self).session, resumed: true)
        case .questionSelected: .questionSelected(try event.decode(QuestionSelected.self))
        case .sessionFatigueDetected: .breakOffered(try event.decode(SessionFatigueDetected.self))
        case .answerAnalyzedInstant: .instantFeedback(try event.decode(AnswerAnalyzedInstant.self))
        case .sessionPaused: .sessionPaused(try event.decode(SessionPaused.self).session)
        case .sessionTimedOut: .sessionTimedOut(try event.decode(SessionTimedOut.self).session)
        case .sessionCompleted: .sessionCompleted(try event.decode(SessionCompleted.self).session)
        case .coachMessageReady: .coachReply(try event.decode(CoachMessageReady.self))
        case .profileSnapshotReady: .profileSnapshot(try event.decode(ProfileSnapshotReady.self))
        default: nil
        }
    }
}
