import Logging
import SelfologyRedis
import Synchronization

/// The acks of this process's consumers, sent together: with the relay's next publish, or after `linger` at the
/// latest. A consumer acks after its transaction committed and reads on at once; its ack no longer costs a round
/// trip of its own. At light load each batch is one event and each group acked it alone: about ten XACK round
/// trips per answer, a third of the process's Redis round trips.
///
/// An ack that never reaches Redis (the process dies, the connection drops) leaves its entry pending: it is taken
/// over after `claimIdle` and skipped as already applied. So deferring costs nothing but that, and a consumer that
/// stops sends what waits before it gives up its leases.
final class DeferredAcks: Sendable {
    private struct Key: Hashable {
        let stream: String
        let group: String
    }

    private struct State {
        var waiting: [Key: [String]] = [:]
        var order: [Key] = []
        var flushScheduled = false
    }

    private let redis: RedisClient
    private let linger: Duration
    private let logger: Logger
    private let state = Mutex(State())

    init(redis: RedisClient, linger: Duration, logger: Logger) {
        self.redis = redis
        self.linger = linger
        self.logger = logger
    }

    /// Queues the entries' acks; a flush follows within `linger` unless a publish takes them first.
    func add(_ ids: [String], stream: String, group: String) {
        guard !ids.isEmpty else { return }
        let key = Key(stream: stream, group: group)
        let schedule = state.withLock { state -> Bool in
            if state.waiting[key] == nil { state.order.append(key) }
            state.waiting[key, default: []] += ids
            defer { state.flushScheduled = true }
            return !state.flushScheduled
        }
        guard schedule else { return }
        Task { [linger] in
            try? await Task.sleep(for: linger)
            await self.flush()
        }
    }

    /// The XACK commands for everything queued, which the caller now sends (`sent(_:replies:)`) or puts back.
    func take() -> [[String]] {
        state.withLock { Self.commands(taking: &$0) }
    }

    private static func commands(taking state: inout State) -> [[String]] {
        let commands = state.order.compactMap { key in
            state.waiting[key].map { ["XACK", key.stream, key.group] + $0 }
        }
        (state.waiting, state.order) = ([:], [])
        return commands
    }

    /// Commands taken whose pipeline failed: they go with the next publish or flush.
    func putBack(_ commands: [[String]]) {
        for command in commands where command.count > 3 {
            add(Array(command.dropFirst(3)), stream: command[1], group: command[2])
        }
    }

    /// Sends what is queued now, in one pipeline.
    func flush() async {
        let commands = state.withLock { state in
            state.flushScheduled = false
            return Self.commands(taking: &state)
        }
        guard !commands.isEmpty else { return }
        do {
            sent(commands, replies: try await redis.pipeline(commands))
        } catch {
            logger.warning(
                "acks failed; their entries are taken over later and skipped",
                metadata: ["streams": "\(commands.count)", "error": "\(error)"])
        }
    }

    /// Logs acks Redis refused; a refused ack is not retried (its group or stream is gone).
    func sent(_ commands: [[String]], replies: some Collection<RESPValue>) {
        for (command, reply) in zip(commands, replies) {
            guard case .error(let message) = reply else { continue }
            logger.warning("ack refused", metadata: ["stream": "\(command[1])", "error": "\(message)"])
        }
    }
}
