import Foundation
import Logging
import SelfologyCore
import ServiceLifecycle
import Synchronization

/// Delivers queued messages: each person's in order, different people at the same time, each person's batch
/// marked sent as soon as it went out (together with other people's marks of the moment: `SentMarks`). A crash
/// between delivery and the mark repeats those messages on restart (at least once), which beats losing a
/// question. A failed delivery holds back only that person's later messages, retried after a pause; one the
/// transport calls undeliverable is set aside so it cannot hold them back forever.
///
/// Messages this process queues are handed over after their commit (`DispatchHandoff`) and go out without a read
/// of the queue. A handed message goes at once only when nothing older of that person can be waiting: the last
/// read saw the whole queue, the person has no failed delivery waiting for its retry, no read left messages of
/// theirs for lack of a lane, and their lane is free (or the worker in it takes the message next). Otherwise it
/// is left to a read.
public final class MessageDispatcher: Service {
    let database: any Database
    let transport: any ChatTransport
    let clock: any WallClock
    let handoff: DispatchHandoff
    let pollInterval: Duration
    let retryDelay: Duration
    /// People served at the same time; a slow transport (Telegram paces each chat) must not serialise everyone.
    let concurrentPeople: Int
    let logger: Logger
    /// Messages in one read of the queue at most.
    static let readLimit = 500

    private struct Lanes {
        /// People being served, each with the ids of the messages their worker has in hand.
        var busy: [UserID: Set<Int64>] = [:]
        /// Messages handed over for a person whose worker is busy: it delivers them next.
        var waiting: [UserID: [GatewayStore.Queued]] = [:]
        var retryAt: [UserID: ContinuousClock.Instant] = [:]
        /// Reads of the queue so far.
        var reads = 0
        /// Whether a read left someone's new messages for later (their lane was busy or all lanes were): only
        /// then must a finishing worker start another read. Reading again after every delivery, or whenever a
        /// read listed messages a worker had in hand, was most of the store's statements for the queue.
        var leftSomeone = false
        /// Whether the last read listed the whole queue: then no message older than a handed one can be unknown.
        var queueKnown = false
        /// People whom a read, or a hand-over, found with messages but no free lane. A later hand-over for them
        /// must wait for the read that serves them, or it would overtake what that read left.
        var leftBehind: Set<UserID> = []
        /// Messages marked sent lately. A read that began before a mark may still list the message, and a read
        /// may deliver a message just committed before its hand-over is taken: neither may deliver it again.
        var sentLately = RecentIDs(capacity: 8192)

        /// The person's messages in hand or waiting for their worker.
        func held(by user: UserID) -> Set<Int64>? {
            busy[user].map { $0.union(waiting[user, default: []].map(\.id)) }
        }
    }

    private let lanes = Mutex(Lanes())
    private let sentMarks: SentMarks

    public init(
        database: any Database, transport: any ChatTransport, clock: any WallClock, handoff: DispatchHandoff,
        pollInterval: Duration = .seconds(1), retryDelay: Duration = .seconds(1), concurrentPeople: Int = 256,
        logger: Logger
    ) {
        self.database = database
        self.transport = transport
        self.clock = clock
        self.handoff = handoff
        self.pollInterval = pollInterval
        self.retryDelay = retryDelay
        self.concurrentPeople = concurrentPeople
        self.logger = logger
        sentMarks = SentMarks(database: database, clock: clock)
    }

    public func run() async throws {
        let handover = handoff.messages
        handover.start()
        defer { _ = handover.stop() }
        let poll = Task { [handoff, pollInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: pollInterval)
                handoff.requestRead()
            }
        }
        defer { poll.cancel() }
        await withDiscardingTaskGroup { workers in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let (handed, read) = handover.take()
                let readNow = startHanded(handed, in: &workers) || read
                if readNow { await startDeliveries(in: &workers) }
                guard handed.isEmpty && !readNow else { continue }
                let signal = handover.signal
                await withGracefulShutdownHandler {
                    await signal.wait()
                } onGracefulShutdown: {
                    signal.notify()
                }
            }
            // Deliveries in hand finish and are marked before the service ends.
        }
    }

    /// Reads of the queue so far: one at the start, then only for the poll and what a hand-over cannot cover.
    var queueReads: Int { lanes.withLock { $0.reads } }

    /// Messages waiting for delivery, including those being delivered right now.
    public func queuedCount() async throws -> Int {
        try await database.read { db in try await GatewayStore.unsentCount(in: db) }
    }

    /// Starts the handed-over messages that may go at once, or gives them to the worker of their person's lane;
    /// returns whether a read must come first (the last one did not see the whole queue).
    private func startHanded(_ handed: [GatewayStore.Queued], in workers: inout DiscardingTaskGroup) -> Bool {
        var readNeeded = false
        for (user, messages) in Self.byPerson(handed) {
            let items = lanes.withLock { lanes -> [GatewayStore.Queued] in
                let fresh = messages.filter { !lanes.sentLately.contains($0.id) }
                guard !fresh.isEmpty else { return [] }
                if let held = lanes.held(by: user) {
                    lanes.waiting[user, default: []] += fresh.filter { !held.contains($0.id) }
                    return []
                }
                // Behind a failed delivery: the poll's read after its retry delivers both, in order.
                guard lanes.retryAt[user] == nil else { return [] }
                guard lanes.queueKnown else {
                    readNeeded = true
                    return []
                }
                guard !lanes.leftBehind.contains(user), lanes.busy.count < concurrentPeople else {
                    // The read that the next finishing worker starts serves them, older messages first.
                    lanes.leftBehind.insert(user)
                    lanes.leftSomeone = true
                    return []
                }
                lanes.busy[user] = Set(fresh.map(\.id))
                return fresh
            }
            if !items.isEmpty { startWorker(items, for: user, in: &workers) }
        }
        return readNeeded
    }

    /// Reads the queue and starts one worker per person with queued messages who is not being served already.
    private func startDeliveries(in workers: inout DiscardingTaskGroup) async {
        lanes.withLock { $0.reads += 1 }
        let queued: [GatewayStore.Queued]
        do {
            queued = try await database.read { db in try await GatewayStore.unsent(limit: Self.readLimit, in: db) }
        } catch {
            logger.warning("reading queued messages failed", metadata: ["error": "\(error)"])
            return
        }
        lanes.withLock { lanes in
            lanes.queueKnown = queued.count < Self.readLimit
            lanes.leftBehind = []
        }
        for (user, messages) in Self.byPerson(queued) {
            let items = lanes.withLock { lanes -> [GatewayStore.Queued] in
                let now = ContinuousClock.now
                let fresh = messages.filter { !lanes.sentLately.contains($0.id) }
                if let held = lanes.held(by: user) {
                    if fresh.contains(where: { !held.contains($0.id) }) { lanes.leftSomeone = true }
                    return []
                }
                guard !fresh.isEmpty else { return [] }
                guard lanes.busy.count < concurrentPeople else {
                    lanes.leftSomeone = true
                    lanes.leftBehind.insert(user)
                    return []
                }
                guard (lanes.retryAt[user] ?? now) <= now else { return [] }
                lanes.busy[user] = Set(fresh.map(\.id))
                lanes.retryAt[user] = nil
                return fresh
            }
            if !items.isEmpty { startWorker(items, for: user, in: &workers) }
        }
    }

    /// Delivers a person's messages, then any handed over for them meanwhile, and frees their lane.
    private func startWorker(
        _ items: [GatewayStore.Queued], for user: UserID, in workers: inout DiscardingTaskGroup
    ) {
        workers.addTask {
            var items = items
            var someoneWaits = false
            while !items.isEmpty {
                let marked = await self.deliver(items, to: user)
                items = self.lanes.withLock { lanes -> [GatewayStore.Queued] in
                    lanes.sentLately.insert(marked)
                    let next = (lanes.waiting.removeValue(forKey: user) ?? []).filter {
                        !lanes.sentLately.contains($0.id)
                    }
                    if !next.isEmpty, lanes.retryAt[user] == nil {
                        lanes.busy[user] = Set(next.map(\.id))
                        return next
                    }
                    // Messages behind a failed one wait for the read after its retry.
                    lanes.busy[user] = nil
                    someoneWaits = lanes.leftSomeone
                    lanes.leftSomeone = false
                    return []
                }
            }
            // That person's later messages (or anyone waiting for a free lane) go next.
            if someoneWaits { self.handoff.requestRead() }
        }
    }

    /// The messages grouped by person, people in the order of their first message.
    private static func byPerson(_ messages: [GatewayStore.Queued]) -> [(UserID, [GatewayStore.Queued])] {
        var order: [UserID] = []
        var grouped: [UserID: [GatewayStore.Queued]] = [:]
        for message in messages {
            if grouped[message.user] == nil { order.append(message.user) }
            grouped[message.user, default: []].append(message)
        }
        return order.map { ($0, grouped[$0] ?? []) }
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
