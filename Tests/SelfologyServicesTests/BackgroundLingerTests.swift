import Foundation
import Logging
import SelfologyCore
import SelfologyEmbedded
import Synchronization
import Testing

@testable import SelfologyServices

/// A group doing background work pauses after a batch that was not full, so that the events of the pause make
/// one batch (one transaction) instead of one each; a group a person waits on does not pause.
@Suite("Consumers: background work lingers between small batches")
struct BackgroundLingerTests {
    /// Records the size of every batch it is given.
    final class BatchRecorder: EventHandler {
        let group: ConsumerGroup
        let sizes = Mutex<[Int]>([])

        init(group: ConsumerGroup) { self.group = group }

        func handle(_ event: EventEnvelope, context: HandlerContext) async throws {}

        func handle(batch: [BatchItem]) async throws {
            sizes.withLock { $0.append(batch.count) }
        }
    }

    /// One event, then five more 50 ms apart once the first is applied; the sizes of the batches they came in.
    func batchSizes(group: ConsumerGroup, type: EventType) async throws -> [Int] {
        let test = try await TestRuntime(store: .sqlite, startServices: false)
        let bus = InProcessEventBus()
        let recorder = BatchRecorder(group: group)
        var settings = ConsumerSettings()
        settings.backgroundLinger = .seconds(2)
        let runner = ConsumerRunner(
            handler: recorder, bus: bus, database: test.runtime.database, factory: .forTests,
            outboxSignal: WakeSignal(), consumerName: "linger", settings: settings, logger: Logger(label: "test"))
        let running = Task { try await runner.run() }
        func publish() async throws {
            let id = EventID("linger-\(UUID().uuidString)")
            try await bus.publish([
                EventEnvelope(
                    id: id, type: type, version: 1, occurredAt: Date(), traceID: "t", userID: UserID("linger"),
                    payload: "{}")
            ])
        }
        func handled() -> Int { recorder.sizes.withLock { $0.reduce(0, +) } }
        func waitFor(_ count: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(15)
            while handled() < count {
                guard ContinuousClock.now < deadline else { throw TestFailure("only \(handled()) handled") }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        try await publish()
        try await waitFor(1)
        for _ in 0..<5 {
            try await Task.sleep(for: .milliseconds(50))
            try await publish()
        }
        try await waitFor(6)
        running.cancel()
        _ = try? await running.value
        try await test.stop()
        return recorder.sizes.withLock { $0 }
    }

    @Test("trait evolution takes the five events of its pause in one batch")
    func backgroundGroupBatches() async throws {
        #expect(try await batchSizes(group: .traitEvolution, type: .profileUpdated) == [1, 5])
    }

    @Test("the gateway applies events as they come, with no pause")
    func interactiveGroupDoesNotWait() async throws {
        // Five events 50 ms apart in two batches or fewer would take stalls of 150 ms and more.
        #expect(try await batchSizes(group: .gateway, type: .answerAnalyzedInstant).count > 2)
    }
}
