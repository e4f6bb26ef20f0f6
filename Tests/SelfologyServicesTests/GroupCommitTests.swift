import Foundation
import SQLKit
import Synchronization
import Testing

@testable import SelfologyEmbedded
@testable import SelfologyServices

/// Transactions that queue for SQLite's one writer are committed together, each in a savepoint of its own.
@Suite("Group commit on the single-writer store")
struct GroupCommitTests {
    struct Failure: Error, Equatable {}

    final class Gate: Sendable {
        let state = Mutex((holding: false, open: false))
        func hold() async throws {
            state.withLock { $0.holding = true }
            while !state.withLock({ $0.open }) { try await Task.sleep(for: .milliseconds(1)) }
        }
        func waitUntilHeld() async throws {
            while !state.withLock({ $0.holding }) { try await Task.sleep(for: .milliseconds(1)) }
        }
        func open() { state.withLock { $0.open = true } }
    }

    func storeWithTable() async throws -> SQLiteDatabase {
        let database = try await SQLiteDatabase.open(path: nil)
        try await database.transaction { db in
            try await db.create(table: "notes").column("id", type: .bigint, .primaryKey(autoIncrement: false)).run()
        }
        return database
    }

    /// Holds the writer while `bodies` queue behind it (interactive unless said otherwise), then lets go and
    /// returns what each caller got.
    func queueBehindHolder(
        _ database: SQLiteDatabase, urgency: TransactionUrgency = .interactive,
        _ bodies: [@Sendable (any SQLDatabase) async throws -> Int]
    ) async throws -> [Result<Int, any Error>] {
        let gate = Gate()
        let holder = Task { try await database.transaction { _ in try await gate.hold() } }
        try await gate.waitUntilHeld()
        var callers: [Task<Int, any Error>] = []
        for (index, body) in bodies.enumerated() {
            callers.append(Task { try await database.transaction(urgency: urgency, body) })
            while database.waiting < index + 1 { try await Task.sleep(for: .milliseconds(1)) }
        }
        gate.open()
        try await holder.value
        var results: [Result<Int, any Error>] = []
        for caller in callers { results.append(await caller.result) }
        return results
    }

    func insert(_ id: Int) -> @Sendable (any SQLDatabase) async throws -> Int {
        { db in
            try await db.insert(into: "notes").columns("id").values(SQLBind(id)).run()
            return id * 10
        }
    }

    func ids(in database: SQLiteDatabase) async throws -> [Int] {
        try await database.read { db in
            try await db.select().column("id").from("notes").orderBy("id").all().map {
                try $0.decode(column: "id", as: Int.self)
            }
        }
    }

    @Test("transactions queued behind a busy writer share one commit, and each caller gets its own value")
    func queuedTransactionsShareACommit() async throws {
        let database = try await storeWithTable()
        let before = database.commits
        let results = try await queueBehindHolder(database, (1...5).map(insert))
        let after = database.commits
        #expect(try results.map { try $0.get() } == [10, 20, 30, 40, 50])
        #expect(try await ids(in: database) == [1, 2, 3, 4, 5])
        #expect(after.transactions - before.transactions == 6, "the holder and the five")
        #expect(after.groups - before.groups == 2, "the holder's commit and one for the five")
        try await database.close()
    }

    @Test("a transaction that throws in a group is undone alone; the others commit")
    func aFailureIsUndoneAlone() async throws {
        let database = try await storeWithTable()
        let failing: @Sendable (any SQLDatabase) async throws -> Int = { db in
            try await db.insert(into: "notes").columns("id").values(SQLBind(3)).run()
            throw Failure()
        }
        let duplicate: @Sendable (any SQLDatabase) async throws -> Int = { db in
            // A constraint error from SQLite itself, after this transaction's own first insert.
            try await db.insert(into: "notes").columns("id").values(SQLBind(6)).run()
            try await db.insert(into: "notes").columns("id").values(SQLBind(1)).run()
            return 0
        }
        let results = try await queueBehindHolder(
            database, [insert(1), insert(2), failing, insert(4), duplicate, insert(5)])
        #expect(throws: Failure.self) { try results[2].get() }
        #expect(throws: (any Error).self) { try results[4].get() }
        #expect(try [0, 1, 3, 5].map { try results[$0].get() } == [10, 20, 40, 50])
        #expect(try await ids(in: database) == [1, 2, 4, 5])
        try await database.close()
    }

    @Test("background transactions, each a large batch, are not merged")
    func backgroundRunsAlone() async throws {
        let database = try await storeWithTable()
        let before = database.commits
        let results = try await queueBehindHolder(database, urgency: .background, (1...3).map(insert))
        #expect(try results.map { try $0.get() } == [10, 20, 30])
        #expect(database.commits.groups - before.groups == 4)
        try await database.close()
    }

    @Test("many concurrent transactions all commit, whichever task runs their group")
    func concurrentCallers() async throws {
        let database = try await storeWithTable()
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for id in 1...300 { group.addTask { try await database.transaction(self.insert(id)) } }
            var values: [Int] = []
            for try await value in group { values.append(value) }
            return values.sorted()
        }
        #expect(values == (1...300).map { $0 * 10 })
        #expect(try await ids(in: database) == Array(1...300))
        try await database.close()
    }

    @Test("closing finishes what was queued, then refuses new transactions with a clear error")
    func closeDrainsThenRefuses() async throws {
        let database = try await storeWithTable()
        let gate = Gate()
        let holder = Task { try await database.transaction(urgency: .background) { _ in try await gate.hold() } }
        try await gate.waitUntilHeld()
        let queued = Task { try await database.transaction(urgency: .background, insert(7)) }
        while database.waiting < 1 { try await Task.sleep(for: .milliseconds(1)) }
        let closed = Mutex(false)
        let closing = Task {
            try await database.close()
            closed.withLock { $0 = true }
        }
        while !database.isClosing { try await Task.sleep(for: .milliseconds(1)) }
        await #expect(throws: SQLiteStoreClosed.self) { try await database.transaction(insert(8)) }
        #expect(!closed.withLock { $0 }, "closing waits for the transactions in hand")
        gate.open()
        try await holder.value
        #expect(try await queued.value == 70)
        try await closing.value
        #expect(closed.withLock { $0 })
    }
}

/// A file store's reads run on connections of their own, beside the writer (WAL).
@Suite("SQLite reads beside the writer")
struct SQLiteReaderTests {
    func fileStore() async throws -> (SQLiteDatabase, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("selfology-readers-\(UUID())")
        let database = try await SQLiteDatabase.open(path: folder.appendingPathComponent("store.sqlite").path)
        try await database.transaction { db in
            try await db.create(table: "notes").column("id", type: .bigint, .primaryKey(autoIncrement: false)).run()
        }
        return (database, folder)
    }

    func count(_ database: SQLiteDatabase) async throws -> Int {
        try await database.read { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("notes").first()?
                .decode(column: "n", as: Int.self) ?? -1
        }
    }

    @Test(
        "a read does not wait for a write transaction in progress, and sees only what was committed",
        .timeLimit(.minutes(1)))
    func readsBesideAWrite() async throws {
        let (database, folder) = try await fileStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gate = GroupCommitTests.Gate()
        let writing = Task {
            try await database.transaction { db in
                try await db.insert(into: "notes").columns("id").values(SQLBind(1)).run()
                try await gate.hold()
            }
        }
        try await gate.waitUntilHeld()
        // On the writer this read would wait for the held transaction, which waits for this test: a deadlock.
        #expect(try await count(database) == 0)
        gate.open()
        try await writing.value
        #expect(try await count(database) == 1)
        try await database.close()
    }

    @Test("a read cannot write")
    func readsAreReadOnly() async throws {
        let (database, folder) = try await fileStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        await #expect(throws: (any Error).self) {
            try await database.read { db in try await db.insert(into: "notes").columns("id").values(SQLBind(2)).run() }
        }
        #expect(try await count(database) == 0)
        try await database.close()
    }
}
