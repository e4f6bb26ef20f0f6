import Foundation
import SQLKit
import SelfologyCore
import SelfologyEmbedded
import Synchronization
import Testing

@testable import SelfologyServices

@Suite("Sent marks")
struct SentMarksTests {
    struct StoreDown: Error {}

    /// A store that counts transactions, holds the first one until `gate` opens, and can be made to fail.
    final class ObservedStore: Database {
        let inner: SQLiteDatabase
        let transactions = Mutex(0)
        let gate = AsyncStream<Void>.makeStream()
        let failing: Bool

        init(_ inner: SQLiteDatabase, failing: Bool = false) {
            self.inner = inner
            self.failing = failing
        }

        func transaction<T: Sendable>(
            urgency: TransactionUrgency, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
        ) async throws -> T {
            if transactions.withLock({ count in
                count += 1
                return count == 1
            }) {
                for await _ in gate.stream {}
            }
            if failing { throw StoreDown() }
            return try await inner.transaction(urgency: urgency, body)
        }
    }

    static func storeWithMessages(_ count: Int) async throws -> (SQLiteDatabase, [Int64]) {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        let queued = try await database.transaction { db in
            for index in 0..<count {
                try await GatewayStore.enqueue(
                    [OutgoingMessage("m\(index)")], for: UserID("u\(index)"), now: Date(), in: db)
            }
            return try await GatewayStore.unsent(limit: count, in: db)
        }
        return (database, queued.map(\.id))
    }

    @Test("people's marks made meanwhile share one transaction, and each caller returns once its own is committed")
    func coalesced() async throws {
        let (database, ids) = try await Self.storeWithMessages(30)
        let store = ObservedStore(database)
        let marks = SentMarks(database: store, clock: SystemWallClock())
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await marks.mark([ids[0]]) }
            // The first flush is held open while the 29 other people's marks are handed over.
            while store.transactions.withLock({ $0 }) == 0 { await Task.yield() }
            for id in ids.dropFirst() { group.addTask { try await marks.mark([id]) } }
            while marks.waiting < 29 { await Task.yield() }
            store.gate.continuation.finish()
            try await group.waitForAll()
        }
        #expect(store.transactions.withLock { $0 } == 2)
        #expect(try await database.read { db in try await GatewayStore.unsentCount(in: db) } == 0)
        try await database.close()
    }

    @Test("a failed mark is reported to every caller whose ids it held, so none believes its messages marked")
    func failureReachesEveryone() async throws {
        let (database, ids) = try await Self.storeWithMessages(3)
        let store = ObservedStore(database, failing: true)
        store.gate.continuation.finish()
        let marks = SentMarks(database: store, clock: SystemWallClock())
        let failures = await withTaskGroup(of: Bool.self) { group in
            for id in ids {
                group.addTask {
                    do {
                        try await marks.mark([id])
                        return false
                    } catch { return true }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 3)
        #expect(try await database.read { db in try await GatewayStore.unsentCount(in: db) } == 3)
        try await database.close()
    }
}
