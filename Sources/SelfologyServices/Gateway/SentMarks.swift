import Foundation

/// Marks delivered messages sent, several people's in one statement (autocommitted where the store allows).
///
/// Each person's worker used to mark its own messages in a transaction of its own: two per answer (feedback,
/// next question), the most frequent transaction of all. Marks made meanwhile are now written together
/// (`CoalescedCalls`). Each caller still returns only once its own mark is committed (or has failed), so the
/// dispatcher's rule that a person's next read must not see messages already delivered holds as before.
final class SentMarks: Sendable {
    private let calls: CoalescedCalls<[Int64], Void>

    init(database: any Database, clock: any WallClock) {
        calls = CoalescedCalls { marks in
            let (ids, now) = (marks.flatMap { $0 }, clock.now())
            try await database.autocommit { db in try await GatewayStore.markSent(ids, now: now, in: db) }
            return marks.map { _ in () }
        }
    }

    /// Marks handed over and not yet taken by a flush (tests use it to line callers up).
    var waiting: Int { calls.waiting }

    func mark(_ ids: [Int64]) async throws {
        try await calls.call(ids)
    }
}
