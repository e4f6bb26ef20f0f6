import SelfologyCore

/// Where the gateway's messages go: a terminal, Telegram, or a test.
public protocol ChatTransport: Sendable {
    func deliver(_ message: OutgoingMessage, to user: UserID) async throws
}

/// The FSM state cache (in memory, or Redis shared by every gateway process). It holds only the state of people
/// who have not consented yet, which must never reach the database; consented people's state lives in the store.
public protocol ChatStateCache: Sendable {
    func state(of user: UserID) async -> ChatState?
    func set(_ state: ChatState, for user: UserID) async
    func remove(_ user: UserID) async
}

/// Thrown by a transport for a message it will never be able to deliver (the person blocked the bot, the chat
/// is gone): the dispatcher sets the message aside instead of retrying it and holding back what follows.
public struct UndeliverableMessage: Error, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "undeliverable: \(reason)" }
}
