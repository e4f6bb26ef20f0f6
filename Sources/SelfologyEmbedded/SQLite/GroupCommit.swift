import SQLKit
import SelfologyServices
import Synchronization

/// The queue of the single SQLite writer: transactions wait here for their turn and run in groups that share one
/// commit. SQLite has one writer, and a commit cost more than most of the transactions it ended (a person's
/// input: five statements, 60 µs of its 160 in the commit). Transactions queued while another group runs
/// are run together next, each in a savepoint of one transaction, so one that fails is undone alone.
///
/// Interactive transactions (a person waits) go before background ones queued earlier, up to `maxGroup` at a
/// time; a background one, usually a large batch, runs alone, and gets its turn after `interactiveRun` groups
/// have overtaken it, so it is never starved.
///
/// Nobody owns the writer while it is idle: the caller that finds it so runs groups on its own task until its
/// own transaction is done (an uncontended transaction never leaves its task), then hands what is still queued
/// to a task of its own.
public final class GroupCommit: Sendable {
    struct Limits {
        /// Interactive transactions run in one group at most.
        var maxGroup = 32
        /// Interactive groups that may overtake a waiting background transaction before it runs.
        var interactiveRun = 4
    }

    /// Transactions run and groups (commits) they took, for the benchmark's report.
    public struct Counts: Sendable {
        public var transactions = 0
        public var groups = 0

        public init(transactions: Int = 0, groups: Int = 0) {
            self.transactions = transactions
            self.groups = groups
        }
    }

    struct Request: Sendable {
        let urgency: TransactionUrgency
        /// Runs the caller's body; returns what hands its value to the caller once the group has committed.
        let run: @Sendable (any SQLDatabase) async throws -> @Sendable () -> Void
        /// Tells the caller its transaction did not commit.
        let fail: @Sendable (any Error) -> Void
    }

    private struct State {
        var interactive: [Request] = []
        var background: [Request] = []
        var draining = false
        var interactiveGroupsInARow = 0
        var closed = false
        var idle: [CheckedContinuation<Void, Never>] = []
        var counts = Counts()
    }

    private let state = Mutex(State())
    private let limits: Limits
    private let runGroup: @Sendable ([Request]) async -> Void

    /// `runGroup` runs one group in one transaction and completes each of its requests exactly once.
    init(limits: Limits, runGroup: @escaping @Sendable ([Request]) async -> Void) {
        self.limits = limits
        self.runGroup = runGroup
    }

    /// Transactions waiting for their group (tests use it to queue them in a known order).
    var waiting: Int { state.withLock { $0.interactive.count + $0.background.count } }

    var counts: Counts { state.withLock { $0.counts } }

    /// Whether `close` was called (tests use it to queue work behind a closing store).
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Queues `body` and returns its value once its group has committed.
    func run<T: Sendable>(
        _ urgency: TransactionUrgency, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let outcome = Outcome<T>()
        let request = Request(
            urgency: urgency,
            run: { db in
                let value = try await body(db)
                return { outcome.complete(.success(value)) }
            },
            fail: { outcome.complete(.failure($0)) })
        let leads = try state.withLock { state -> Bool in
            guard !state.closed else { throw SQLiteStoreClosed() }
            switch urgency {
            case .interactive: state.interactive.append(request)
            case .background: state.background.append(request)
            }
            if state.draining { return false }
            state.draining = true
            return true
        }
        guard leads else { return try await outcome.value() }
        while !outcome.isComplete {
            guard let group = nextGroup() else { break }
            await runGroup(group)
        }
        // Whatever was queued meanwhile is drained by a task of its own, so this caller returns now.
        if let group = nextGroup() {
            Task {
                await self.runGroup(group)
                await self.drain()
            }
        }
        return try await outcome.value()
    }

    /// Refuses new transactions and returns once every queued one has finished.
    func close() async {
        await withCheckedContinuation { continuation in
            let idleNow = state.withLock { state -> Bool in
                state.closed = true
                guard state.draining else { return true }
                state.idle.append(continuation)
                return false
            }
            if idleNow { continuation.resume() }
        }
    }

    private func drain() async {
        while let group = nextGroup() { await runGroup(group) }
    }

    /// Takes the next group off the queue, or, when nothing is queued, stops draining and returns nil.
    private func nextGroup() -> [Request]? {
        let (group, idle) = state.withLock { state -> ([Request]?, [CheckedContinuation<Void, Never>]) in
            // Only groups formed while background work waits count towards its turn.
            let backgroundsTurn =
                !state.background.isEmpty
                && (state.interactive.isEmpty || state.interactiveGroupsInARow >= limits.interactiveRun)
            if backgroundsTurn {
                state.interactiveGroupsInARow = 0
                state.counts.groups += 1
                state.counts.transactions += 1
                return ([state.background.removeFirst()], [])
            }
            guard !state.interactive.isEmpty else {
                state.draining = false
                defer { state.idle = [] }
                return (nil, state.idle)
            }
            if !state.background.isEmpty { state.interactiveGroupsInARow += 1 }
            let count = min(limits.maxGroup, state.interactive.count)
            state.counts.groups += 1
            state.counts.transactions += count
            defer { state.interactive.removeFirst(count) }
            return (Array(state.interactive.prefix(count)), [])
        }
        for waiter in idle { waiter.resume() }
        return group
    }
}

/// A transaction's result, handed from whichever task ran its group to the caller waiting for it.
final class Outcome<T: Sendable>: Sendable {
    private enum Slot {
        case empty
        case waiting(CheckedContinuation<T, any Error>)
        case done(Result<T, any Error>)
    }

    private let slot = Mutex(Slot.empty)

    var isComplete: Bool {
        slot.withLock { slot in
            if case .done = slot { return true }
            return false
        }
    }

    func complete(_ result: Result<T, any Error>) {
        let waiter = slot.withLock { slot -> CheckedContinuation<T, any Error>? in
            defer { slot = .done(result) }
            if case .waiting(let continuation) = slot { return continuation }
            return nil
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let ready = slot.withLock { slot -> Result<T, any Error>? in
                if case .done(let result) = slot { return result }
                slot = .waiting(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}

/// A transaction asked of a store that was closed.
public struct SQLiteStoreClosed: Error, CustomStringConvertible {
    public var description: String { "the SQLite store is closed" }
}
