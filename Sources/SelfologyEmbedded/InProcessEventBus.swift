import Foundation
import SelfologyCore
import SelfologyServices

/// The embedded runtime's bus, with the consumer-group semantics of Redis Streams: every group gets each event
/// it subscribes to; a delivery stays pending until acked; released deliveries come back with a higher attempt
/// count. Groups are declared up front from the catalog, so no event published at start-up is missed.
///
/// It lives in memory: events published but not yet applied when the process dies are put back by
/// `EmbeddedRecovery` from the outbox and the idempotency marks.
public actor InProcessEventBus: EventBus {
    struct Entry {
        let envelope: EventEnvelope
        let tag: UInt64
        var attempt: Int
    }

    final class Group {
        let types: Set<EventType>
        var ready: [Entry] = []
        var readIndex = 0
        var pending: [UInt64: Entry] = [:]
        let signal = WakeSignal()

        init(types: Set<EventType>) { self.types = types }

        var readyCount: Int { ready.count - readIndex }

        func enqueue(_ entry: Entry) {
            ready.append(entry)
            signal.notify()
        }

        func take(max: Int) -> [Entry] {
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

    private var groups: [ConsumerGroup: Group] = [:]
    private var nextTag: UInt64 = 0
    public private(set) var publishedCount = 0
    /// Counts every movement of work (publish, take, ack, release). A caller that sees it unchanged across a
    /// series of checks knows no work moved between the bus and the store while it looked.
    public private(set) var activity: UInt64 = 0

    public init(groups: [ConsumerGroup] = ConsumerGroup.allCases) {
        for group in groups {
            self.groups[group] = Group(types: EventCatalog.subscriptions(of: group))
        }
    }

    public func publish(_ events: [EventEnvelope]) async throws {
        activity += 1
        for envelope in events {
            publishedCount += 1
            for group in groups.values where group.types.contains(envelope.type) {
                nextTag += 1
                group.enqueue(Entry(envelope: envelope, tag: nextTag, attempt: 1))
            }
        }
    }

    /// Hands an event to one group only: used by recovery for a group that had not applied it.
    public func redeliver(_ envelope: EventEnvelope, to group: ConsumerGroup) {
        activity += 1
        nextTag += 1
        groups[group]?.enqueue(Entry(envelope: envelope, tag: nextTag, attempt: 1))
    }

    public nonisolated func consumer(group: ConsumerGroup, name: String, types: Set<EventType>) async throws
        -> any EventConsumer
    {
        guard await hasGroup(group) else { throw InProcessBusError.unknownGroup(group) }
        return InProcessConsumer(bus: self, group: group)
    }

    /// True when no group has an event waiting or in flight.
    public var isIdle: Bool { groups.values.allSatisfy { $0.readyCount == 0 && $0.pending.isEmpty } }

    private func hasGroup(_ group: ConsumerGroup) -> Bool { groups[group] != nil }

    func read(group name: ConsumerGroup, max: Int, wait: Duration) async -> [Delivery] {
        guard let group = groups[name] else { return [] }
        let deadline = ContinuousClock.now + wait
        while group.readyCount == 0 {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero, !Task.isCancelled else { return [] }
            await group.signal.wait(timeout: remaining)
        }
        activity += 1
        return group.take(max: max).map { Delivery(envelope: $0.envelope, tag: String($0.tag), attempt: $0.attempt) }
    }

    func ack(group name: ConsumerGroup, _ deliveries: [Delivery]) {
        guard let group = groups[name] else { return }
        activity += 1
        for delivery in deliveries {
            if let tag = UInt64(delivery.tag) { group.pending.removeValue(forKey: tag) }
        }
    }

    func release(group name: ConsumerGroup, _ deliveries: [Delivery], delay: Duration) {
        guard let group = groups[name] else { return }
        activity += 1
        var entries: [Entry] = []
        for delivery in deliveries {
            guard let tag = UInt64(delivery.tag), var entry = group.pending.removeValue(forKey: tag) else { continue }
            entry.attempt += 1
            entries.append(entry)
        }
        guard !entries.isEmpty else { return }
        // Keep the entries counted as in flight while they wait, so the bus does not look idle.
        for entry in entries { group.pending[entry.tag] = entry }
        Task {
            try? await Task.sleep(for: delay)
            self.requeue(entries, in: name)
        }
    }

    private func requeue(_ entries: [Entry], in name: ConsumerGroup) {
        guard let group = groups[name] else { return }
        activity += 1
        for entry in entries {
            group.pending.removeValue(forKey: entry.tag)
            group.enqueue(entry)
        }
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
        await bus.ack(group: group, deliveries)
    }

    func release(_ deliveries: [Delivery], delay: Duration) async throws {
        await bus.release(group: group, deliveries, delay: delay)
    }
}

extension InProcessEventBus: BusObserver {
    public func quietToken() async throws -> String? { isIdle ? String(activity) : nil }
}
