import Foundation
import Logging
import SelfologyCore

/// Service 6, input side: the front door that every transport (terminal, Telegram) calls with what a person did.
/// It holds no business logic: the conversation machine decides, and the gateway stores, emits and replies.
///
/// Before consent nothing is stored: the state lives in the FSM cache only and replies go straight out. After
/// consent the state, the events and the replies are written in one transaction; replies are then delivered by
/// the dispatcher, so a crash never loses a question or a feedback line.
public final class Gateway: Sendable {
    let outbox: OutboxTransaction
    let cache: any ChatStateCache
    let transport: any ChatTransport
    let handoff: DispatchHandoff
    let safety: SafetyPolicy
    let rateLimiter: any RateLimiter
    let logger: Logger
    let inputs: InputBatches

    public init(
        outbox: OutboxTransaction, cache: any ChatStateCache, transport: any ChatTransport,
        handoff: DispatchHandoff, safety: SafetyPolicy, rateLimiter: any RateLimiter, logger: Logger
    ) {
        self.safety = safety
        self.rateLimiter = rateLimiter
        self.outbox = outbox
        self.cache = cache
        self.transport = transport
        self.handoff = handoff
        self.logger = logger
        inputs = InputBatches(outbox: outbox, safety: safety, handoff: handoff)
    }

    /// Handles one input. `languageHint` is the client's language, used only for a person the bot does not know.
    /// `inputID` names the input at its source (a Telegram update): an input seen before is ignored, so a
    /// transport may redeliver after a crash. Returns the conversation's phase afterwards.
    @discardableResult
    public func receive(
        _ input: ChatInput, from user: UserID, languageHint: Language? = nil, inputID: String? = nil
    ) async throws -> ChatPhase {
        // Both at once: on Redis they are two round trips on every message's way to its reply.
        async let cachedState = cache.state(of: user)
        async let allowed = rateLimiter.allow(user, now: outbox.factory.clock.now())
        let cached = await cachedState
        guard await allowed else {
            logger.info("rate limited", metadata: ["user_id": "\(user)"])
            // The rare refused request may cost a read: it is answered in the person's own language.
            let stored = try await outbox.database.read { db in try await GatewayStore.state(of: user, in: db) }
            let state = stored ?? cached ?? ChatState(language: languageHint ?? .en)
            for reply in ConversationMachine.rateLimited(input, state: state, safety: safety) {
                try await transport.deliver(reply, to: user)
            }
            return state.phase
        }
        // Screened before the transaction: the regexes are the costliest step and need no lock.
        let screened = ConversationMachine.screen(input, safety: safety)
        let (reaction, duplicate) = try await inputs.store(
            .init(
                input: input, user: user, screened: screened, cached: cached, languageHint: languageHint,
                inputID: inputID))
        if duplicate {
            logger.info("input seen before; ignored", metadata: ["user_id": "\(user)", "input_id": "\(inputID ?? "")"])
            return reaction.state.phase
        }
        logger.debug(
            "input handled",
            metadata: [
                "user_id": "\(user)", "phase": "\(reaction.state.phase.rawValue)", "events": "\(reaction.events.count)",
            ])
        if reaction.state.mayBeStored {
            // The store holds consented people's state; the cache only ever held the state before consent.
            if cached != nil { await cache.remove(user) }
            return reaction.state.phase
        }
        // Not consented: keep the state in the cache only (or forget it entirely after a refusal).
        if reaction.state.phase == .newUser {
            await cache.remove(user)
        } else {
            await cache.set(reaction.state, for: user)
        }
        for reply in reaction.replies { try await transport.deliver(reply, to: user) }
        return reaction.state.phase
    }
}
