import Foundation
import SelfologyCore

/// The front door's transactions: inputs that arrive while one is being stored wait and are then stored together,
/// in one transaction with their people's states read in one statement and written in one, their replies queued
/// in one and their events appended in one. One input alone costs what it did before; a hundred people answering
/// at once cost a handful of statements per batch instead of five per answer (the front door was the busiest
/// writer left on PostgreSQL). A person's later input in a batch starts from the state the earlier one left.
final class InputBatches: Sendable {
    /// One input, screened and with what the caller knew of the person before the transaction.
    struct Input: Sendable {
        let input: ChatInput
        let user: UserID
        let screened: [CrisisCategory]
        let cached: ChatState?
        let languageHint: Language?
        let inputID: String?
    }

    /// What the conversation machine made of an input; `duplicate` when its source had delivered it before.
    typealias Outcome = (reaction: ChatReaction, duplicate: Bool)

    static let maximumBatch = 64
    let outbox: OutboxTransaction
    let safety: SafetyPolicy
    let handoff: DispatchHandoff
    private let calls: CoalescedCalls<Input, Outcome>

    init(outbox: OutboxTransaction, safety: SafetyPolicy, handoff: DispatchHandoff) {
        self.outbox = outbox
        self.safety = safety
        self.handoff = handoff
        calls = CoalescedCalls(maximumBatch: Self.maximumBatch) { inputs in
            try await Self.apply(inputs, outbox: outbox, safety: safety, handoff: handoff)
        }
    }

    /// Stores the input (in a batch with any that arrive meanwhile) and returns what it caused.
    func store(_ input: Input) async throws -> Outcome {
        try await calls.call(input)
    }

    /// Stores these inputs in one transaction, in order; internal so that tests can form a batch.
    func apply(_ inputs: [Input]) async throws -> [Outcome] {
        try await Self.apply(inputs, outbox: outbox, safety: safety, handoff: handoff)
    }

    private static func apply(
        _ inputs: [Input], outbox: OutboxTransaction, safety: SafetyPolicy, handoff: DispatchHandoff
    ) async throws -> [Outcome] {
        try await outbox.run { context in
            let stored = try await GatewayStore.states(of: inputs.map(\.user), forUpdate: true, in: context.db)
            // Each person's state as the batch's earlier inputs left it, stored or not.
            var carried: [UserID: ChatState] = [:]
            var changed: [UserID: ChatState] = [:]
            var replies: [GatewayStore.Reply] = []
            var outcomes: [Outcome] = []
            for item in inputs {
                let user = item.user
                let state =
                    carried[user] ?? stored[user] ?? item.cached ?? ChatState(language: item.languageHint ?? .en)
                let reaction = ConversationMachine.handle(
                    item.input, screened: item.screened, state: state, now: context.now, safety: safety)
                if reaction.state.mayBeStored, let inputID = item.inputID,
                    try await !GatewayStore.claimInput(inputID, now: context.now, in: context.db)
                {
                    outcomes.append((ChatReaction(state: state), true))
                    continue
                }
                carried[user] = reaction.state
                if reaction.erasesPerson {
                    // Nothing of this batch about them is written either: the reply goes straight out.
                    changed[user] = nil
                    replies.removeAll { $0.user == user }
                    try await GatewayStore.forget(user, in: context.db)
                    try context.emit(reaction.events, for: user)
                    // The erasure is a trace of its own: what began before it is older, a fresh /start newer.
                    try await PersonErasure.record(
                        user, trace: context.emitted[context.emitted.count - 1].traceID, group: .gateway,
                        now: context.now, in: context.db)
                } else if reaction.state.mayBeStored {
                    changed[user] = reaction.state
                    replies += reaction.replies.map { .init(user: user, message: $0, queuedAt: context.now) }
                    try context.emit(reaction.events, for: user)
                }
                outcomes.append((reaction, false))
            }
            try await GatewayStore.save(changed, now: context.now, in: context.db)
            let queued = try await GatewayStore.enqueue(replies, in: context.db)
            if !queued.isEmpty { context.onCommit { handoff.hand(queued) } }
            return outcomes
        }
    }
}
