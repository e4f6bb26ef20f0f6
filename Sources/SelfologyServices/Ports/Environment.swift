import Foundation
import SelfologyCore
import Synchronization

/// Time and identity, injected so that tests can pin them.
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

public protocol IDGenerator: Sendable {
    /// A new unique, time-ordered id.
    func next() -> String
}

/// ULID-style ids from the clock and a random number generator.
public final class TimeOrderedIDGenerator<Random: RandomNumberGenerator & Sendable>: IDGenerator {
    private let clock: any WallClock
    private let state: Mutex<(factory: UniqueIDFactory, random: Random)>

    public init(clock: any WallClock, random: Random) {
        self.clock = clock
        state = Mutex((UniqueIDFactory(), random))
    }

    public func next() -> String {
        let now = clock.now()
        return state.withLock { state in
            let random = (
                high: UInt16.random(in: .min ... .max, using: &state.random),
                low: UInt64.random(in: .min ... .max, using: &state.random)
            )
            return state.factory.next(now: now, random: random)
        }
    }
}

extension TimeOrderedIDGenerator where Random == SystemRandomNumberGenerator {
    public convenience init(clock: any WallClock = SystemWallClock()) {
        self.init(clock: clock, random: SystemRandomNumberGenerator())
    }
}
