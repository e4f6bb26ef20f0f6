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
        /// People being served, each with the ids of the messages their worker has in hand.
        var busy: [UserID: Set<Int64>] = [:]
        var retryAt: [UserID: ContinuousClock.Instant] = [:]
        /// Reads of the queue so far, and for each person whose worker finished during the current read, the
        /// messages it marked sent: that read may still list them, and must not hand them out again. A read that
        /// begins later sees them marked.
        var reads = 0
        var sentDuring: [UserID: (read: Int, ids: Set<Int64>)] = [:]
        /// Whether a read left someone's new messages for later (their lane was busy or all lanes were): only
        /// then must a finishing worker start another read. Reading again after every delivery, or whenever a
        /// read listed messages a worker had in hand, was most of the store's statements for the queue.
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
        let poll = signal.ticking(every: pollInterval)
        defer { poll.cancel() }
        await withDiscardingTaskGroup { workers in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                if await startDeliveries(in: &workers) == 0 {
                    let signal = self.signal
                    await withGracefulShutdownHandler {
                        await signal.wait()
                    } onGracefulShutdown: {
                        signal.notify()
                    }
                }
            }
            // Deliveries in hand finish and are marked before the service ends.
        }
    }

    /// Messages waiting for delivery, including those being delivered right now.
    public func queuedCount() async throws -> Int {
        try await database.read { db in try await GatewayStore.unsentCount(in: db) }
    }

    /// Starts one worker per person with queued messages who is not being served already; returns how many.
    private func startDeliveries(in workers: inout DiscardingTaskGroup) async -> Int {
        let read = lanes.withLock { lanes -> Int in
            lanes.reads += 1
            lanes.sentDuring = lanes.sentDuring.filter { $0.value.read >= lanes.reads }
            return lanes.reads
        }
        let queued: [GatewayStore.Queued]
        do {
            queued = try await database.read { db in try await GatewayStore.unsent(limit: 500, in: db) }
        } catch {
            logger.warning("reading queued messages failed", metadata: ["error": "\(error)"])
            return 0
        }
        var order: [UserID] = []
        var byPerson: [UserID: [GatewayStore.Queued]] = [:]
        for item in queued {
            if byPerson[item.user] == nil { order.append(item.user) }
            byPerson[item.user, default: []].append(item)
        }
        var started = 0
        for user in order {
            let items = lanes.withLock { lanes -> [GatewayStore.Queued] in
                let now = ContinuousClock.now
                let sent = lanes.sentDuring[user].flatMap { $0.read == read ? $0.ids : nil } ?? []
                let fresh = (byPerson[user] ?? []).filter { !sent.contains($0.id) }
                if let inHand = lanes.busy[user] {
                    if fresh.contains(where: { !inHand.contains($0.id) }) { lanes.leftSomeone = true }
                    return []
                }
                guard !fresh.isEmpty else { return [] }
                guard lanes.busy.count < concurrentPeople else {
                    lanes.leftSomeone = true
                    return []
                }
                guard (lanes.retryAt[user] ?? now) <= now else { return [] }
                lanes.busy[user] = Set(fresh.map(\.id))
                lanes.retryAt[user] = nil
                return fresh
            }
            guard !items.isEmpty else { continue }
            started += 1
            workers.addTask {
                let marked = await self.deliver(items, to: user)
                let someoneWaits = self.lanes.withLock { lanes -> Bool in
                    lanes.busy[user] = nil
                    if !marked.isEmpty { lanes.sentDuring[user] = (lanes.reads, Set(marked)) }
                    defer { lanes.leftSomeone = false }
                    return lanes.leftSomeone
                }
                // That person's later messages (or anyone waiting for a free lane) go next.
                if someoneWaits { self.signal.notify() }
            }
        }
        return started
    }

    /// Delivers a person's messages in order until one fails; returns those marked sent.
    private func deliver(_ items: [GatewayStore.Queued], to user: UserID) async -> [Int64] {
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
        guard !settled.isEmpty else { return [] }
        do {
            try await sentMarks.mark(settled)
            return settled
        } catch {
            // The messages went out; if the mark is lost they are sent again (at least once, never lost).
            logger.warning("could not mark messages sent", metadata: ["error": "\(error)"])
            return []
        }
    }
}
