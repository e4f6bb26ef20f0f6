import SQLKit
import Synchronization
import Testing

@testable import SelfologyEmbedded
@testable import SelfologyServices

/// SQLite has one writer, so transactions queue for it. A person waiting for feedback must not queue behind
/// the background work (deep analysis, profiles) that asked first, and background work must not starve.
@Suite("Transaction urgency on the single-writer store")
struct TransactionUrgencyTests {
    /// Holds the writer, queues the given transactions one after another (each surely queued before the next),
    /// then lets go; returns the order in which they ran. One transaction per group, so that the order of turns
    /// is what is seen.
    func runOrder(_ queue: [(String, TransactionUrgency)]) async throws -> [String] {
        let database = try await SQLiteDatabase.open(path: nil, grouping: .init(maxGroup: 1, interactiveRun: 3))
        let state = State()
        let holder = Task {
            try await database.transaction(urgency: .interactive) { _ in
                state.value.withLock { $0.holding = true }
                while !state.value.withLock({ $0.open }) { try await Task.sleep(for: .milliseconds(1)) }
            }
        }
        while !state.value.withLock({ $0.holding }) { try await Task.sleep(for: .milliseconds(1)) }
        var waiters: [Task<Void, any Error>] = []
        for (index, (name, urgency)) in queue.enumerated() {
            waiters.append(
                Task {
                    try await database.transaction(urgency: urgency) { _ in
                        state.value.withLock { $0.order.append(name) }
                    }
                })
            while database.waiting < index + 1 { try await Task.sleep(for: .milliseconds(1)) }
        }
        state.value.withLock { $0.open = true }
        try await holder.value
        for waiter in waiters { try await waiter.value }
        try await database.close()
        return state.value.withLock { $0.order }
    }

    final class State: Sendable {
        let value = Mutex((holding: false, open: false, order: [String]()))
    }

    @Test("interactive transactions overtake background ones that queued earlier")
    func interactiveFirst() async throws {
        let order = try await runOrder([
            ("deep", .background), ("feedback", .interactive), ("question", .interactive),
        ])
        #expect(order == ["feedback", "question", "deep"])
    }

    @Test("a waiting background transaction gets its turn after a run of interactive ones")
    func backgroundIsNotStarved() async throws {
        let queue: [(String, TransactionUrgency)] =
            [("deep", .background)] + (1...5).map { ("i\($0)", .interactive) }
        let order = try await runOrder(queue)
        #expect(order == ["i1", "i2", "i3", "deep", "i4", "i5"])
    }

    @Test("without contention, order is first come, first served")
    func fifoWithinUrgency() async throws {
        let order = try await runOrder([("b1", .background), ("b2", .background)])
        #expect(order == ["b1", "b2"])
    }
}
