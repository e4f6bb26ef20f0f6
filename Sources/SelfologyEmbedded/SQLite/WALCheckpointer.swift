import Dispatch
import GRDB
import Logging
import Synchronization

/// Copies committed pages from the WAL back into the database file on a connection and a thread of its own, so
/// that the one writer does not. By SQLite's default the commit that takes the WAL past 1,000 pages runs the
/// checkpoint itself, copying the pages and syncing the file while every other transaction waits for the writer:
/// in the embedded benchmark about a tenth of the writer's time. A passive checkpoint waits for nobody and blocks
/// nobody; it copies the pages that no reader still needs.
///
/// The writer keeps its own checkpoint, at `writerThreshold` pages, as the bound on the WAL should this one fall
/// behind; it also lets the WAL start over from its beginning under steady writing, which needs a moment with
/// every page copied, as right after the writer's own checkpoint.
final class WALCheckpointer: Sendable {
    /// The writer's own checkpoint: about 40 MB of WAL with 4 KB pages.
    static let writerThreshold = 10_000
    static let interval: DispatchTimeInterval = .milliseconds(100)

    private let connection: DatabaseQueue
    /// Not the Swift concurrency threads: a checkpoint syncs the file, and a blocked thread there is a core idle.
    private let queue = DispatchQueue(label: "selfology.sqlite.checkpoint")
    private let closed = Atomic(false)
    /// Commits the writer finished, so that an idle store is not checkpointed again and again. Counted once a
    /// commit is done: a count taken as a transaction began would let its pages wait for the next commit.
    private let commits = Atomic(0)
    private let logger: Logger

    init(connection: DatabaseQueue, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// The writer finished a commit.
    func committed() { commits.add(1, ordering: .relaxed) }

    func start() { scheduleNext(seen: 0) }

    /// Stops the checkpoints, waiting for one under way, and closes the connection. SQLite checkpoints what is
    /// left when the last connection to the file closes.
    func close() throws {
        closed.store(true, ordering: .relaxed)
        // Dispatch orders this after a checkpoint under way; the next tick then sees `closed`.
        queue.sync {}
        try connection.close()
    }

    /// `seen`: the commits counted at the last tick.
    private func scheduleNext(seen: Int) {
        queue.asyncAfter(deadline: .now() + Self.interval) { [self] in
            guard !closed.load(ordering: .relaxed) else { return }
            let now = commits.load(ordering: .relaxed)
            if now != seen { checkpoint() }
            scheduleNext(seen: now)
        }
    }

    private func checkpoint() {
        do {
            try connection.inDatabase { try $0.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
        } catch {
            // The writer's own checkpoint still bounds the WAL.
            logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
        }
    }
}
