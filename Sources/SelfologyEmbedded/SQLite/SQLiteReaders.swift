import Synchronization

/// Read-only connections to a file store. In WAL mode they read beside the one writer, each from a snapshot of
/// what was committed when its read began, so reads (the dispatcher's queue, the consumers' preparations, the
/// profile memo's version checks) no longer take turns with the writes; on the writer they had been a tenth of
/// its time under load.
final class SQLiteReaders: Sendable {
    /// One per core is enough: a read that finds none free takes its turn on the writer instead of waiting.
    static let count = 2

    private let free: Mutex<[SQLiteConnectionSQL]>
    private let all: [SQLiteConnectionSQL]

    init(_ connections: [SQLiteConnectionSQL]) {
        all = connections
        free = Mutex(connections)
    }

    func take() -> SQLiteConnectionSQL? { free.withLock { $0.popLast() } }

    func give(_ connection: SQLiteConnectionSQL) { free.withLock { $0.append(connection) } }

    func close() throws {
        for connection in all { try connection.queue.close() }
    }
}
