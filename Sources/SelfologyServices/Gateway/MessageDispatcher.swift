import Foundation
import Logging
import SelfologyCore
import ServiceLifecycle
import Synchronization

/// Delivers queued messages: each person's in order, different people at the same time, each person's batch
/// marked sent as soon as it went out (together with other people's marks of the moment: `SentMarks`). A crash between delivery and the mark repeats those messages on restart
/// (at least once), which beats losing a question. A failed delivery holds back only that person's later
/// messages, retried after a pause; one the transport calls undeliverable is set aside so it cannot hold them
/// back forever.
public final class MessageDispatcher: Service {
    let database: any Database
    let transport: any ChatTransport
    let clock: any WallClock
    let signal: WakeSignal
    let pollInterval: Duration
    let retryDelay: Duration
    /// People served at the same time; a slow transport (Telegram paces each chat) must not serialise everyone.
    let concurrentPeople: Int
    let logger: Logger

    private struct Lanes {
        var busy: Set<UserID> = []
        var retryAt: [UserID: ContinuousClock.Instant] = [:]
        /// Reads of the queue so far, and the read during which each person's last worker finished: a read
        /// that began before a worker marked its messages sent must not hand them out again.
        var reads = 0
        var finishedDuring: [UserID: Int] = [:]
        /// Whether a read left someone's messages for later (their lane was busy or all lanes were): only then
        /// must a finishing worker start another read. Reading again after every delivery was a third of all
        /// the store's transactions.
        var leftSomeone = false
    }

    private let lanes = Mutex(Lanes())
    private let sentMarks: SentMarks

    public init(
        database: any Database, transport: any ChatTransport, clock: any WallClock, signal: WakeSignal,
        pollInterval: Duration = .seconds(1), retryDelay: Duration = .seconds(1), concurrentPeople: Int = 256,
        logger: Logger
    ) {
        self.database = database
        self.transport = transport
        self.clock = clock
        self.signal = signal
        self.pollInterval = pollInterval
        self.retryDelay = retryDelay
        self.concurrentPeople = concurrentPeople
        self.logger = logger
        sentMarks = SentMarks(database: database, clock: clock)
    }

    public func run() async throws {
        await withDiscardingTaskGroup { workers in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let pass = await startDeliveries(in: &workers)
                if pass.started == 0 && !pass.readAgain {
                    let (signal, interval) = (self.signal, pollInterval)
                    await cancelWhenGracefulShutdown { await signal.wait(timeout: interval) }
                }
            }
            // Deliveries in hand finish and are marked before the service ends.
        }
    }

    /// Messages waiting for delivery, including those being delivered right now.
    public func queuedCount() async throws -> Int {
        try await database.read { db in try await GatewayStore.unsentCount(in: db) }
    }

    /// Starts one worker per person with queued messages who is not being served already: how many, and whether
    /// the queue must be read again at once (it was read while someone's messages were being marked sent).
    private func startDeliveries(in workers: inout DiscardingTaskGroup) async -> (started: Int, readAgain: Bool) {
        let read = lanes.withLock { lanes -> Int in
            lanes.reads += 1
            lanes.finishedDuring = lanes.finishedDuring.filter { $0.value >= lanes.reads }
            return lanes.reads
        }
        let queued: [GatewayStore.Queued]
        do {
            queued = try await database.read { db in try await GatewayStore.unsent(limit: 500, in: db) }
        } catch {
            logger.warning("reading queued messages failed", metadata: ["error": "\(error)"])
            return (0, false)
        }
        var order: [UserID] = []
        var byPerson: [UserID: [GatewayStore.Queued]] = [:]
        for item in queued {
            if byPerson[item.user] == nil { order.append(item.user) }
            byPerson[item.user, default: []].append(item)
        }
        var (started, readAgain) = (0, false)
        for user in order {
            let claimed = lanes.withLock { lanes -> Bool in
                let now = ContinuousClock.now
                guard (lanes.finishedDuring[user] ?? 0) < read else {
                    // What this read saw of that person may be sent already; what is left needs a fresh read.
                    readAgain = true
                    return false
                }
                guard lanes.busy.count < concurrentPeople, !lanes.busy.contains(user) else {
                    lanes.leftSomeone = true
                    return false
                }
                guard (lanes.retryAt[user] ?? now) <= now else { return false }
                lanes.busy.insert(user)
                lanes.retryAt[user] = nil
                return true
            }
            guard claimed, let items = byPerson[user] else { continue }
            started += 1
            workers.addTask {
                await self.deliver(items, to: user)
                let someoneWaits = self.lanes.withLock { lanes -> Bool in
                    lanes.busy.remove(user)
                    lanes.finishedDuring[user] = lanes.reads
                    defer { lanes.leftSomeone = false }
                    return lanes.leftSomeone
                }
                // That person's later messages (or anyone waiting for a free lane) go next.
                if someoneWaits { self.signal.notify() }
            }
        }
        return (started, readAgain)
    }

    private func deliver(_ items: [GatewayStore.Queued], to user: UserID) async {
        var settled: [Int64] = []
        for item in items {
            do {
                try await transport.deliver(item.message, to: user)
                settled.append(item.id)
            } catch let undeliverable as UndeliverableMessage {
                logger.warning(
                    "message set aside", metadata: ["user_id": "\(user)", "reason": "\(undeliverable.reason)"])
                settled.append(item.id)
            } catch {
                logger.warning(
                    "message delivery failed; will retry", metadata: ["user_id": "\(user)", "error": "\(error)"])
                let retryAt = ContinuousClock.now + retryDelay
                lanes.withLock { $0.retryAt[user] = retryAt }
                break
            }
        }
        guard !settled.isEmpty else { return }
        do {
            try await sentMarks.mark(settled)
        } catch {
            // The messages went out; if the mark is lost they are sent again (at least once, never lost).
            logger.warning("could not mark messages sent", metadata: ["error": "\(error)"])
        }
    }
}
