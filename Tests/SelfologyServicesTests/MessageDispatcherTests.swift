import Foundation
import Logging
import SelfologyCore
import SelfologyEmbedded
import ServiceLifecycle
import Synchronization
import Testing

@testable import SelfologyServices

/// The dispatcher against a transport that is slow, fails, or refuses for good, as Telegram can.
@Suite("Message dispatcher")
struct MessageDispatcherTests {
    /// Records deliveries; a person can be made to fail for a while or for good, and every delivery takes a
    /// little time, like a paced chat.
    final class ScriptedTransport: ChatTransport {
        struct State {
            var delivered: [(UserID, String)] = []
            var failuresLeft: [UserID: Int] = [:]
            var blocked: Set<UserID> = []
        }
        let state = Mutex(State())

        func deliver(_ message: OutgoingMessage, to user: UserID) async throws {
            try await Task.sleep(for: .milliseconds(5))
            try state.withLock { state in
                if state.blocked.contains(user) { throw UndeliverableMessage(reason: "blocked by the user") }
                if let left = state.failuresLeft[user], left > 0 {
                    state.failuresLeft[user] = left - 1
                    throw CancellationError()
                }
                state.delivered.append((user, message.text))
            }
        }

        func texts(of user: UserID) -> [String] { state.withLock { $0.delivered.filter { $0.0 == user }.map(\.1) } }
        var count: Int { state.withLock { $0.delivered.count } }
        var sequence: [String] { state.withLock { $0.delivered.map(\.1) } }
    }

    func withDispatcher(
        _ transport: ScriptedTransport, queue: [UserID: [String]], until done: @escaping @Sendable () -> Bool
    ) async throws -> Int {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        for (user, texts) in queue.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try await database.transaction { db in
                try await GatewayStore.enqueue(texts.map { OutgoingMessage($0) }, for: user, now: Date(), in: db)
            }
        }
        let dispatcher = MessageDispatcher(
            database: database, transport: transport, clock: SystemWallClock(), handoff: DispatchHandoff(),
            pollInterval: .milliseconds(20), retryDelay: .milliseconds(50), logger: Logger(label: "test"))
        let group = ServiceGroup(services: [dispatcher], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        let deadline = ContinuousClock.now + .seconds(20)
        while !done(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        // Everything delivered is marked once its person's batch is done; wait for the marks too.
        while try await dispatcher.queuedCount() > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let left = try await dispatcher.queuedCount()
        await group.triggerGracefulShutdown()
        try await running.value
        try await database.close()
        return left
    }

    @Test("many people at once: every message exactly once, each person's in order")
    func concurrentPeopleInOrder() async throws {
        let transport = ScriptedTransport()
        let people = (0..<40).map { UserID("p\($0)") }
        let queue = Dictionary(uniqueKeysWithValues: people.map { ($0, (1...5).map { "m\($0)" }) })
        let left = try await withDispatcher(transport, queue: queue) { transport.count >= 200 }
        #expect(left == 0)
        #expect(transport.count == 200)
        for person in people { #expect(transport.texts(of: person) == ["m1", "m2", "m3", "m4", "m5"]) }
    }

    @Test("a person whose deliveries fail holds back only their own messages, which follow later in order")
    func failingPersonDoesNotBlockOthers() async throws {
        let transport = ScriptedTransport()
        let (failing, other) = (UserID("failing"), UserID("other"))
        transport.state.withLock { $0.failuresLeft[failing] = 3 }
        let queue = [failing: ["f1", "f2"], other: ["o1", "o2"]]
        let left = try await withDispatcher(transport, queue: queue) { transport.count >= 4 }
        #expect(left == 0)
        #expect(transport.texts(of: other) == ["o1", "o2"])
        #expect(transport.texts(of: failing) == ["f1", "f2"])
        // The other person did not wait for the failing one's retries (their messages were queued first).
        let sequence = transport.sequence
        #expect(try #require(sequence.firstIndex(of: "o2")) < (try #require(sequence.firstIndex(of: "f1"))))
    }

    /// The dispatcher reads the queue again after a delivery only when a read left someone's messages behind
    /// (their lane was busy, or every lane was). Polling is set to a minute here, so only that re-read can
    /// deliver them in time.
    @Test("messages left behind by a read (a busy person, all lanes taken) go out without waiting for the poll")
    func leftBehindMessagesFollowAtOnce() async throws {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        let (transport, handoff) = (ScriptedTransport(), DispatchHandoff())
        let dispatcher = MessageDispatcher(
            database: database, transport: transport, clock: SystemWallClock(), handoff: handoff,
            pollInterval: .seconds(60), concurrentPeople: 2, logger: Logger(label: "test"))
        func enqueue(_ text: String, for user: UserID) async throws {
            let queued = try await database.transaction { db in
                try await GatewayStore.enqueue([OutgoingMessage(text)], for: user, now: Date(), in: db)
            }
            handoff.hand(queued)
        }
        let group = ServiceGroup(services: [dispatcher], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        // Five people for two lanes, then more for the first person while their first message is in flight.
        for index in 0..<5 { try await enqueue("first", for: UserID("p\(index)")) }
        try await enqueue("second", for: UserID("p0"))
        let deadline = ContinuousClock.now + .seconds(20)
        while transport.count < 6, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(transport.count == 6)
        #expect(transport.texts(of: UserID("p0")) == ["first", "second"])
        await group.triggerGracefulShutdown()
        try await running.value
        try await database.close()
    }

    /// Holds a delivery of one text until released, and records every delivery.
    final class GatedTransport: ChatTransport {
        let state = Mutex((delivered: [String](), released: false))

        func deliver(_ message: OutgoingMessage, to user: UserID) async throws {
            while message.text == "held" && !state.withLock({ $0.released }) {
                try await Task.sleep(for: .milliseconds(5))
            }
            state.withLock { $0.delivered.append(message.text) }
        }
    }

    @Test(
        "a message committed after a later-numbered one of its person, while that one is in hand, goes out without waiting for the poll",
        .enabled(if: TestStore.postgresURL != nil))
    func outOfOrderCommitFollowsAtOnce() async throws {
        let test = try await TestRuntime(store: .postgres, startServices: false)
        let database = test.runtime.database
        let (transport, handoff, person) = (GatedTransport(), DispatchHandoff(), UserID("late-commit"))
        let dispatcher = MessageDispatcher(
            database: database, transport: transport, clock: SystemWallClock(), handoff: handoff,
            pollInterval: .seconds(60), logger: Logger(label: "test"))
        let group = ServiceGroup(services: [dispatcher], logger: Logger(label: "test"))
        let running = Task { try await group.run() }

        // "late" takes the lower id in a transaction that commits only after "held" is committed and in hand.
        let commitLate = WakeSignal()
        let late = Task {
            let queued = try await database.transaction { db in
                let queued = try await GatewayStore.enqueue([OutgoingMessage("late")], for: person, now: Date(), in: db)
                await commitLate.wait(timeout: .seconds(30))
                return queued
            }
            handoff.hand(queued)
        }
        try await Task.sleep(for: .milliseconds(100))
        handoff.hand(
            try await database.transaction { db in
                try await GatewayStore.enqueue([OutgoingMessage("held")], for: person, now: Date(), in: db)
            })
        try await Task.sleep(for: .milliseconds(100))
        commitLate.notify()
        try await late.value
        // "late" is handed over while "held" is still in hand: the worker takes it next.
        try await Task.sleep(for: .milliseconds(200))
        transport.state.withLock { $0.released = true }

        let deadline = ContinuousClock.now + .seconds(10)
        while transport.state.withLock({ $0.delivered.count }) < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(transport.state.withLock { $0.delivered } == ["held", "late"])
        await group.triggerGracefulShutdown()
        try await running.value
        try await test.stop()
    }

    @Test("a message that can never be delivered is set aside instead of retried forever")
    func undeliverableSetAside() async throws {
        let transport = ScriptedTransport()
        let (blocked, other) = (UserID("blocked"), UserID("other"))
        transport.state.withLock { $0.blocked = [blocked] }
        let left = try await withDispatcher(transport, queue: [blocked: ["b1", "b2"], other: ["o1"]]) {
            transport.count >= 1
        }
        #expect(left == 0)
        #expect(transport.texts(of: blocked).isEmpty)
        #expect(transport.texts(of: other) == ["o1"])
    }
}
