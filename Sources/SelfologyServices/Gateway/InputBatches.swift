import Foundation
import SelfologyCore
import Synchronization

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

    private struct Waiting {
        let input: Input
        let continuation: CheckedContinuation<Outcome, any Error>
    }

    private struct State {
        var queue: [Waiting] = []
        var storing = false
    }

    static let maximumBatch = 64
    let outbox: OutboxTransaction
    let safety: SafetyPolicy
    let dispatchSignal: WakeSignal
    private let state = Mutex(State())

    init(outbox: OutboxTransaction, safety: SafetyPolicy, dispatchSignal: WakeSignal) {
        self.outbox = outbox
        self.safety = safety
        self.dispatchSignal = dispatchSignal
    }

    /// Stores the input (in a batch with any that arrive meanwhile) and returns what it caused.
    func store(_ input: Input) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let starts = state.withLock { state -> Bool in
                state.queue.append(Waiting(input: input, continuation: continuation))
                guard !state.storing else { return false }
                state.storing = true
                return true
            }
            if starts { Task { await self.storeQueued() } }
        }
    }

    /// Stores batches until nothing waits. If a batch fails, its inputs are stored one by one, so that one input's
    /// failure is its own.
    private func storeQueued() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = Array(state.queue.prefix(Self.maximumBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.storing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                for (waiting, outcome) in zip(batch, try await apply(batch.map(\.input))) {
                    waiting.continuation.resume(returning: outcome)
                }
            } catch {
                for waiting in batch {
                    do {
                        waiting.continuation.resume(returning: try await apply([waiting.input])[0])
                    } catch { waiting.continuation.resume(throwing: error) }
                }
            }
        }
    }

    /// Stores these inputs in one transaction, in order; internal so that tests can form a batch.
    func apply(_ inputs: [Input]) async throws -> [Outcome] {
        let (safety, dispatchSignal) = (self.safety, self.dispatchSignal)
        return try await outbox.run { context in
            let stored = try await GatewayStore.states(of: inputs.map(\.user), in: context.db)
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
                if reaction.state.mayBeStored {
                    changed[user] = reaction.state
                    replies += reaction.replies.map { .init(user: user, message: $0, queuedAt: context.now) }
                    try context.emit(reaction.events, for: user)
                    context.wake(dispatchSignal)
                }
                outcomes.append((reaction, false))
            }
            try await GatewayStore.save(changed, now: context.now, in: context.db)
            try await GatewayStore.enqueue(replies, in: context.db)
            return outcomes
        }
    }
}
