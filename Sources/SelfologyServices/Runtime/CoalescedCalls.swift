import Synchronization

/// Calls that arrive while others are being carried out wait and are then carried out together, in the order
/// they came: the first caller starts a leader that takes everything queued meanwhile (up to `maximumBatch` at
/// a time) until nothing waits. Each caller still returns only with its own result, once its batch is done. A
/// batch that fails is carried out again one call at a time, so one call's failure is its own.
///
/// The front door stores inputs this way, and the dispatcher marks messages sent: one transaction or statement
/// for what arrived together instead of one each.
final class CoalescedCalls<Input: Sendable, Output: Sendable>: Sendable {
    private struct Waiting {
        let input: Input
        let continuation: CheckedContinuation<Output, any Error>
    }

    private struct State {
        var queue: [Waiting] = []
        var running = false
    }

    private let state = Mutex(State())
    private let maximumBatch: Int
    /// How long a leader waits before taking its first batch, so that calls no one waits on gather.
    private let gathering: Duration
    /// Carries out a batch; returns one output per input, in order.
    private let perform: @Sendable ([Input]) async throws -> [Output]

    init(
        maximumBatch: Int = .max, gathering: Duration = .zero,
        perform: @escaping @Sendable ([Input]) async throws -> [Output]
    ) {
        self.maximumBatch = maximumBatch
        self.gathering = gathering
        self.perform = perform
    }

    /// Calls handed over and not yet taken by the leader (tests use it to line callers up).
    var waiting: Int { state.withLock { $0.queue.count } }

    func call(_ input: Input) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let leads = state.withLock { state -> Bool in
                state.queue.append(Waiting(input: input, continuation: continuation))
                defer { state.running = true }
                return !state.running
            }
            if leads { Task { await self.drain() } }
        }
    }

    private func drain() async {
        if gathering > .zero { try? await Task.sleep(for: gathering) }
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = Array(state.queue.prefix(maximumBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.running = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let outputs = try await perform(batch.map(\.input))
                guard outputs.count == batch.count else { throw MissingOutputs() }
                for (waiting, output) in zip(batch, outputs) { waiting.continuation.resume(returning: output) }
            } catch {
                for waiting in batch {
                    do {
                        guard let output = try await perform([waiting.input]).first else { throw MissingOutputs() }
                        waiting.continuation.resume(returning: output)
                    } catch { waiting.continuation.resume(throwing: error) }
                }
            }
        }
    }

    private struct MissingOutputs: Error {}
}
