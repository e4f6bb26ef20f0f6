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
