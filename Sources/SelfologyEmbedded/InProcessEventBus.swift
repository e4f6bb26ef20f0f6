import Foundation
import SelfologyCore
import SelfologyServices
import Synchronization

/// The embedded runtime's bus, with the consumer-group semantics of Redis Streams: every group gets each event
/// it subscribes to; a delivery stays pending until acked; released deliveries come back with a higher attempt
/// count. Groups are declared up front from the catalog, so no event published at start-up is missed.
///
/// It lives in memory: events published but not yet applied when the process dies are put back by
/// `EmbeddedRecovery` from the outbox and the idempotency marks.
///
/// A lock, not an actor: the relay publishes inside its transaction on SQLite's one writer, and an actor hop
/// there suspended the writer until the pool ran it again (about 1 ms a batch under load, every other
/// transaction waiting). Every operation is a few array and dictionary updates under the lock.
public final class InProcessEventBus: EventBus, Sendable {
    struct Entry: Sendable {
        let envelope: EventEnvelope
        let tag: UInt64
        var attempt: Int
    }

    struct Group {
        var ready: [Entry] = []
        var readIndex = 0
        var pending: [UInt64: Entry] = [:]

        var readyCount: Int { ready.count - readIndex }

        mutating func take(max: Int) -> [Entry] {
            let end = min(ready.count, readIndex + max)
            let taken = Array(ready[readIndex..<end])
            readIndex = end
            // Compact now and then so the array does not grow without bound.
            if readIndex > 1024 && readIndex * 2 > ready.count {
                ready.removeFirst(readIndex)
                readIndex = 0
            }
            for entry in taken { pending[entry.tag] = entry }
            return taken
        }
    }

    private struct State {
        var groups: [ConsumerGroup: Group] = [:]
        var nextTag: UInt64 = 0
        var publishedCount = 0
        /// Counts every movement of work (publish, take, ack, release). A caller that sees it unchanged across a
        /// series of checks knows no work moved between the bus and the store while it looked.
        var activity: UInt64 = 0

        mutating func enqueue(_ envelope: EventEnvelope, attempt: Int = 1, in name: ConsumerGroup) {
            nextTag += 1
            groups[name]?.ready.append(Entry(envelope: envelope, tag: nextTag, attempt: attempt))
        }
    }

    private let state: Mutex<State>
    /// Raised when a group's queue gets entries; its consumer waits on it when the queue is empty.
    private let signals: [ConsumerGroup: WakeSignal]
    private let subscribers: [(group: ConsumerGroup, types: Set<EventType>)]

    public init(groups: [ConsumerGroup] = ConsumerGroup.allCases) {
        var initial = State()
        for group in groups { initial.groups[group] = Group() }
        state = Mutex(initial)
        signals = Dictionary(uniqueKeysWithValues: groups.map { ($0, WakeSignal()) })
        subscribers = groups.map { ($0, EventCatalog.subscriptions(of: $0)) }
    }

    public var publishedCount: Int { state.withLock { $0.publishedCount } }

    public var activity: UInt64 { state.withLock { $0.activity } }

    public func publish(_ events: [EventEnvelope]) async throws {
        var woken: Set<ConsumerGroup> = []
        state.withLock { state in
            state.activity += 1
            for envelope in events {
                state.publishedCount += 1
                for (group, types) in subscribers where types.contains(envelope.type) {
                    state.enqueue(envelope, in: group)
                    woken.insert(group)
                }
            }
        }
        for group in woken { signals[group]?.notify() }
    }

    /// Hands an event to one group only: used by recovery for a group that had not applied it.
    public func redeliver(_ envelope: EventEnvelope, to group: ConsumerGroup) {
        state.withLock { state in
            state.activity += 1
            state.enqueue(envelope, in: group)
        }
        signals[group]?.notify()
    }

    public func consumer(group: ConsumerGroup, name: String, types: Set<EventType>) async throws -> any EventConsumer {
        guard signals[group] != nil else { throw InProcessBusError.unknownGroup(group) }
        return InProcessConsumer(bus: self, group: group)
    }

    func read(group name: ConsumerGroup, max: Int, wait: Duration) async -> [Delivery] {
        guard let signal = signals[name] else { return [] }
        let deadline = ContinuousClock.now + wait
        while true {
            let taken = state.withLock { state -> [Entry] in
                guard state.groups[name]?.readyCount ?? 0 > 0 else { return [] }
                state.activity += 1
                return state.groups[name]?.take(max: max) ?? []
            }
            if !taken.isEmpty {
                return taken.map { Delivery(envelope: $0.envelope, tag: String($0.tag), attempt: $0.attempt) }
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero, !Task.isCancelled else { return [] }
            // A publish between the look above and this wait leaves the signal raised, so it is not missed.
            await signal.wait(timeout: remaining)
        }
    }

    func ack(group name: ConsumerGroup, _ deliveries: [Delivery]) {
        state.withLock { state in
            state.activity += 1
            for delivery in deliveries {
                if let tag = UInt64(delivery.tag) { state.groups[name]?.pending.removeValue(forKey: tag) }
            }
        }
    }

    func release(group name: ConsumerGroup, _ deliveries: [Delivery], delay: Duration) {
        // The entries stay counted as in flight while they wait, so the bus does not look idle.
        let entries = state.withLock { state -> [Entry] in
            state.activity += 1
            return deliveries.compactMap { delivery in
                guard let tag = UInt64(delivery.tag), var entry = state.groups[name]?.pending[tag] else { return nil }
                entry.attempt += 1
                state.groups[name]?.pending[tag] = entry
                return entry
            }
        }
        guard !entries.isEmpty else { return }
        Task {
            try? await Task.sleep(for: delay)
            self.requeue(entries, in: name)
        }
    }

    private func requeue(_ entries: [Entry], in name: ConsumerGroup) {
        state.withLock { state in
            state.activity += 1
            for entry in entries {
                state.groups[name]?.pending.removeValue(forKey: entry.tag)
                state.enqueue(entry.envelope, attempt: entry.attempt, in: name)
            }
        }
        signals[name]?.notify()
    }
}

public enum InProcessBusError: Error, CustomStringConvertible {
    case unknownGroup(ConsumerGroup)
    public var description: String {
        switch self {
        case .unknownGroup(let group): "consumer group \(group.rawValue) was not declared on the bus"
        }
    }
}

struct InProcessConsumer: EventConsumer {
    let bus: InProcessEventBus
    let group: ConsumerGroup

    func read(max: Int, wait: Duration) async throws -> [Delivery] {
        await bus.read(group: group, max: max, wait: wait)
    }

    func ack(_ deliveries: [Delivery]) async throws {
        bus.ack(group: group, deliveries)
    }

    func release(_ deliveries: [Delivery], delay: Duration) async throws {
        bus.release(group: group, deliveries, delay: delay)
    }
}

extension InProcessEventBus: BusObserver {
    public func quietToken() async throws -> String? {
        state.withLock { state in
            state.groups.values.allSatisfy { $0.readyCount == 0 && $0.pending.isEmpty } ? String(state.activity) : nil
        }
    }
}
