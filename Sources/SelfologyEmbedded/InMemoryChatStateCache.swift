import Foundation
import SelfologyCore
import SelfologyServices

/// The FSM cache of the embedded runtime: a dictionary with the seed's one-hour expiry.
public actor InMemoryChatStateCache: ChatStateCache {
    private var entries: [UserID: (state: ChatState, expires: Date)] = [:]
    private let clock: any WallClock
    private let ttl: TimeInterval

    public init(clock: any WallClock, ttl: TimeInterval = 3600) {
        self.clock = clock
        self.ttl = ttl
    }

    public func state(of user: UserID) -> ChatState? {
        guard let entry = entries[user] else { return nil }
        guard entry.expires > clock.now() else {
            entries.removeValue(forKey: user)
            return nil
        }
        return entry.state
    }

    public func set(_ state: ChatState, for user: UserID) {
        entries[user] = (state, clock.now().addingTimeInterval(ttl))
    }

    public func remove(_ user: UserID) {
        entries.removeValue(forKey: user)
    }
}
