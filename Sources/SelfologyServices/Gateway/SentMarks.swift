import Foundation
import Synchronization

/// Marks delivered messages sent, several people's in one statement (autocommitted where the store allows).
///
/// Each person's worker used to mark its own messages in a transaction of its own: two per answer (feedback,
/// next question), the most frequent transaction of all. A worker now hands its ids over and waits; whoever
/// finds no flush under way writes everything handed over meanwhile, and keeps flushing until nothing is left.
/// Each caller still returns only once its own mark is committed (or has failed), so the dispatcher's rule that
/// a person's next read must not see messages already delivered holds as before.
final class SentMarks: Sendable {
    private struct Waiting {
        let ids: [Int64]
        let done: CheckedContinuation<Result<Void, any Error>, Never>
    }

    private struct State {
        var waiting: [Waiting] = []
        var flushing = false
    }

    private let database: any Database
    private let clock: any WallClock
    private let state = Mutex(State())

    init(database: any Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    /// Marks handed over and not yet taken by a flush (tests use it to line callers up).
    var waiting: Int { state.withLock { $0.waiting.count } }

    func mark(_ ids: [Int64]) async throws {
        let result = await withCheckedContinuation { continuation in
            let leads = state.withLock { state -> Bool in
                state.waiting.append(Waiting(ids: ids, done: continuation))
                defer { state.flushing = true }
                return !state.flushing
            }
            if leads { Task { await self.flush() } }
        }
        try result.get()
    }

    private func flush() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                defer { state.waiting = [] }
                if state.waiting.isEmpty { state.flushing = false }
                return state.waiting
            }
            guard !batch.isEmpty else { return }
            let (ids, now) = (batch.flatMap(\.ids), clock.now())
            let result: Result<Void, any Error>
            do {
                try await database.autocommit { db in try await GatewayStore.markSent(ids, now: now, in: db) }
                result = .success(())
            } catch {
                result = .failure(error)
            }
            for waiting in batch { waiting.done.resume(returning: result) }
        }
    }
}
