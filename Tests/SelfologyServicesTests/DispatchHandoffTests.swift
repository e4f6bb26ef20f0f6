import Foundation
import Logging
import SelfologyCore
import SelfologyEmbedded
import ServiceLifecycle
import Testing

@testable import SelfologyServices

/// Messages this process queues are handed to its dispatcher after the commit and go out without a read of the
/// queue, unless that could put a person's messages out of order or deliver one twice.
@Suite("Messages handed to the dispatcher")
struct DispatchHandoffTests {
    typealias ScriptedTransport = MessageDispatcherTests.ScriptedTransport

    /// A dispatcher on a fresh store whose poll never comes within a test.
    struct Running {
        let database: SQLiteDatabase
        let transport = ScriptedTransport()
        let handoff = DispatchHandoff()
        let dispatcher: MessageDispatcher
        let group: ServiceGroup
        let task: Task<Void, any Error>

        init(retryDelay: Duration = .seconds(1)) async throws {
            database = try await SQLiteDatabase.open(path: nil)
            _ = try await Migrator.migrate(database)
            dispatcher = MessageDispatcher(
                database: database, transport: transport, clock: SystemWallClock(), handoff: handoff,
                pollInterval: .seconds(60), retryDelay: retryDelay, logger: Logger(label: "test"))
            group = ServiceGroup(services: [dispatcher], logger: Logger(label: "test"))
            task = Task { [group] in try await group.run() }
            try await eventually { dispatcher.queueReads == 1 }
        }

        func queue(_ texts: [String], for user: UserID) async throws -> [GatewayStore.Queued] {
            try await database.transaction { db in
                try await GatewayStore.enqueue(texts.map { OutgoingMessage($0) }, for: user, now: Date(), in: db)
            }
        }

        func stop() async throws {
            await group.triggerGracefulShutdown()
            try await task.value
            try await database.close()
        }
    }

    @Test("handed messages go out in order and are marked sent, with no read of the queue after the first")
    func noRead() async throws {
        let running = try await Running()
        let people = (0..<5).map { UserID("h\($0)") }
        for person in people { running.handoff.hand(try await running.queue(["one", "two"], for: person)) }
        for person in people { running.handoff.hand(try await running.queue(["three"], for: person)) }
        try await eventually { try await running.dispatcher.queuedCount() == 0 }
        for person in people { #expect(running.transport.texts(of: person) == ["one", "two", "three"]) }
        #expect(running.dispatcher.queueReads == 1)
        try await running.stop()
    }

    @Test("a message a read delivered before its hand-over was taken is not delivered again")
    func readFirst() async throws {
        let running = try await Running()
        let person = UserID("read-first")
        let queued = try await running.queue(["only"], for: person)
        running.handoff.requestRead()
        try await eventually { try await running.dispatcher.queuedCount() == 0 }
        running.handoff.hand(queued)
        // A second hand-over of someone else's message, to know the first one was taken and passed over.
        let other = UserID("after")
        running.handoff.hand(try await running.queue(["next"], for: other))
        try await eventually { running.transport.texts(of: other) == ["next"] }
        #expect(running.transport.texts(of: person) == ["only"])
        try await running.stop()
    }

    @Test("a handed message behind a failed delivery waits for it, and both go out in order")
    func behindAFailure() async throws {
        let running = try await Running(retryDelay: .milliseconds(50))
        let person = UserID("failing")
        running.transport.state.withLock { $0.failuresLeft[person] = 1 }
        running.handoff.hand(try await running.queue(["first"], for: person))
        try await eventually { running.transport.state.withLock { $0.failuresLeft[person] == 0 } }
        running.handoff.hand(try await running.queue(["second"], for: person))
        try await Task.sleep(for: .milliseconds(100))
        #expect(running.transport.texts(of: person).isEmpty, "nothing overtakes the failed message")
        // The poll (a minute here) is what retries a failed message; ask for its read now.
        running.handoff.requestRead()
        try await eventually { running.transport.texts(of: person).count == 2 }
        #expect(running.transport.texts(of: person) == ["first", "second"])
        try await running.stop()
    }

    @Test("messages queued while no dispatcher runs are dropped from the hand-over and read when it starts")
    func beforeTheDispatcher() async throws {
        let database = try await SQLiteDatabase.open(path: nil)
        _ = try await Migrator.migrate(database)
        let (transport, handoff) = (ScriptedTransport(), DispatchHandoff())
        let queued = try await database.transaction { db in
            try await GatewayStore.enqueue([OutgoingMessage("early")], for: UserID("early"), now: Date(), in: db)
        }
        handoff.hand(queued)
        #expect(handoff.messages.take().items.isEmpty, "nothing is kept for a dispatcher that is not running")
        let dispatcher = MessageDispatcher(
            database: database, transport: transport, clock: SystemWallClock(), handoff: handoff,
            pollInterval: .seconds(60), logger: Logger(label: "test"))
        let group = ServiceGroup(services: [dispatcher], logger: Logger(label: "test"))
        let task = Task { try await group.run() }
        let deadline = ContinuousClock.now + .seconds(10)
        while transport.count < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(transport.texts(of: UserID("early")) == ["early"])
        await group.triggerGracefulShutdown()
        try await task.value
        try await database.close()
    }

    @Test("the ids remembered are the latest ones, up to the capacity")
    func recentIDs() {
        var recent = RecentIDs(capacity: 3)
        recent.insert([1, 2, 3])
        recent.insert([3, 4])
        #expect(!recent.contains(1))
        #expect([2, 3, 4].allSatisfy(recent.contains))
        recent.insert(Array(5...20))
        #expect([18, 19, 20].allSatisfy(recent.contains))
        #expect(!recent.contains(17) && !recent.contains(4))
    }
}
