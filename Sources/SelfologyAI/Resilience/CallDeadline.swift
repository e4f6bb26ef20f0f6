/// Runs one whole call (connect, response head, body or stream) against a timeout: a timer races the call and
/// cancels it. The adapters use it because AsyncHTTPClient's deadline stops at the response head, so a server
/// that sends headers and then stalls would otherwise hold the call open; the router uses it for a task's budget.
enum CallDeadline {
    /// For adapters: the timer fires this long after the timeout, so that a request still waiting for its response
    /// head meets AsyncHTTPClient's own deadline (set to the timeout) first: that one reports a connection that
    /// kept failing (refused, unreachable) as such, while cancelling the request would only report the
    /// cancellation. 250 ms leaves a loaded machine room to report it; the router runs the call with no grace
    /// inside a task's budget, so this never lengthens a person's wait.
    static let adapterGrace: Duration = .milliseconds(250)

    private enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case expired
    }

    /// Throws `ModelCallError.timedOut` when the timer wins, `CancellationError` when the calling task is cancelled,
    /// and otherwise whatever `operation` throws.
    static func run<Value: Sendable>(
        _ timeout: Duration, grace: Duration = adapterGrace, _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        do {
            return try await withThrowingTaskGroup(of: Outcome<Value>.self) { group in
                group.addTask { .finished(try await operation()) }
                group.addTask {
                    try await Task.sleep(for: timeout + grace)
                    return .expired
                }
                defer { group.cancelAll() }
                switch try await group.next() {
                case .finished(let value): return value
                case .expired, nil: throw ModelCallError.timedOut
                }
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
    }
}
