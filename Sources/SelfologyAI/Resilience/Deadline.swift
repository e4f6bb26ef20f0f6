import Synchronization

/// Runs `work` and gives up when `timeout` passes: the work's task is cancelled and `ModelCallError.timedOut` is
/// thrown at once, without waiting for a stuck HTTP read to notice the cancellation.
func withDeadline<T: Sendable>(_ timeout: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T
{
    guard timeout > .zero else { throw ModelCallError.timedOut }
    let outcome = Outcome<T>()
    let worker = Task {
        do { outcome.resolve(.success(try await work())) } catch { outcome.resolve(.failure(error)) }
    }
    let timer = Task {
        try? await Task.sleep(for: timeout)
        outcome.resolve(.failure(ModelCallError.timedOut))
    }
    defer {
        worker.cancel()
        timer.cancel()
    }
    return try await withTaskCancellationHandler {
        try await outcome.value
    } onCancel: {
        outcome.resolve(.failure(CancellationError()))
    }
}

/// The first result wins; later ones are ignored.
private final class Outcome<T: Sendable>: Sendable {
    private let state = Mutex<(result: Result<T, any Error>?, waiter: CheckedContinuation<T, any Error>?)>((nil, nil))

    func resolve(_ result: Result<T, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    var value: T {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { state -> Result<T, any Error>? in
                    if let result = state.result { return result }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }
}
