import Synchronization

/// A process-local memo of values by key, bounded: when the newer half is full it replaces the older half, so
/// the oldest entries go first and memory stays within `capacity` entries. A miss only costs the work the memo
/// would have saved; nothing may depend on a hit.
final class BoundedMemo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Generations {
        var current: [Key: Value] = [:]
        var previous: [Key: Value] = [:]
    }

    private let generations = Mutex(Generations())
    private let generationSize: Int

    init(capacity: Int) {
        generationSize = max(1, capacity / 2)
    }

    func remember(_ value: Value, for key: Key) {
        generations.withLock { state in
            if state.current.count >= generationSize {
                state.previous = state.current
                state.current = [:]
            }
            state.current[key] = value
        }
    }

    func value(for key: Key) -> Value? {
        generations.withLock { $0.current[key] ?? $0.previous[key] }
    }

    /// The value, forgotten once taken.
    func take(_ key: Key) -> Value? {
        generations.withLock { $0.current.removeValue(forKey: key) ?? $0.previous.removeValue(forKey: key) }
    }

    var count: Int { generations.withLock { $0.current.count + $0.previous.count } }
}
