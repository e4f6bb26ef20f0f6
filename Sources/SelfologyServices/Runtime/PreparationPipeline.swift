import SelfologyCore
import Synchronization

/// What `prepare` produced for each event of a batch.
typealias Preparations = [EventID: Result<(any Sendable)?, any Error>]

/// Batches read ahead of the one being applied, so that their preparation (model calls) overlaps with it.
///
/// With one batch at a time, an answer that arrived while a batch's model calls were in flight waited for them
/// before its own call started: about two model latencies to its feedback instead of one. Here up to `depth`
/// batches are in flight; they are applied and acknowledged strictly in the order they were read. A person's
/// events in a later batch are prepared only once the earlier batches holding that person are applied, so a
/// preparation always sees the person's previous events applied, as it did one batch at a time.
final class PreparationPipeline: Sendable {
    struct Batch: Sendable {
        let number: Int
        let deliveries: [Delivery]
        let preparation: Task<Preparations, Never>
        fileprivate let opensLatch: AsyncStream<Void>.Continuation
    }

    private struct InFlight {
        let people: Set<UserID>
        /// Finishes when the batch is applied (however that went).
        let applied: Task<Void, Never>
    }

    private struct State {
        var next = 0
        var inFlight: [Int: InFlight] = [:]
    }

    let depth: Int
    private let state = Mutex(State())
    private let slotFreed = WakeSignal()

    init(depth: Int) {
        self.depth = max(1, depth)
    }

    /// Returns once fewer than `depth` batches are in flight.
    func waitForSlot() async {
        while state.withLock({ $0.inFlight.count }) >= depth {
            await slotFreed.wait()
        }
    }

    /// Registers a batch and starts its preparation. `prepare` is handed, for each person of the batch who is
    /// also in an earlier batch still in flight, the moment the latest such batch is applied.
    func start(
        _ deliveries: [Delivery],
        prepare: @escaping @Sendable (_ after: [UserID: Task<Void, Never>]) async -> Preparations
    ) -> Batch {
        let (latch, opensLatch) = AsyncStream<Void>.makeStream()
        let applied = Task { for await _ in latch {} }
        let people = Set(deliveries.map(\.envelope.userID))
        let (number, after) = state.withLock { state -> (Int, [UserID: Task<Void, Never>]) in
            var after: [UserID: Task<Void, Never>] = [:]
            // In read order, so each person ends up with the latest earlier batch that holds them.
            for (_, earlier) in state.inFlight.sorted(by: { $0.key < $1.key }) {
                for person in earlier.people.intersection(people) { after[person] = earlier.applied }
            }
            let number = state.next
            state.next += 1
            state.inFlight[number] = InFlight(people: people, applied: applied)
            return (number, after)
        }
        return Batch(
            number: number, deliveries: deliveries, preparation: Task { await prepare(after) },
            opensLatch: opensLatch)
    }

    /// The batch is applied: later batches may prepare its people's events, and a slot is free.
    func finished(_ batch: Batch) {
        batch.opensLatch.finish()
        state.withLock { _ = $0.inFlight.removeValue(forKey: batch.number) }
        slotFreed.notify()
    }
}
