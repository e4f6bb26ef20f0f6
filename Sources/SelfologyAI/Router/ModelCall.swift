import Logging
import Metrics
import SelfologyResilience
import SelfologyServices

/// One model's turn in a chain: up to `retry.attempts` calls with backoff on retryable errors, one more call
/// when the output fails validation, all within the task's deadline and only while the model's breaker allows.
struct ModelCall<Raw: Sendable, Value: Sendable> {
    let task: AITask
    let tier: String
    let model: ModelID
    let breaker: CircuitBreaker
    let retry: RetryPolicy
    let prices: PriceTable
    let deadline: ContinuousClock.Instant
    let callTimeout: Duration
    let random: @Sendable () -> Double
    let logger: Logger
    let call: @Sendable (Duration) async throws -> (raw: Raw, usage: TokenUsage)
    let decode: @Sendable (Raw) throws -> Value

    /// The value, or nil when this model could not give one in time; every call is added to `usage`.
    func run(usage: inout [ModelUsage]) async -> Value? {
        var attempt = 1
        var retriedInvalidOutput = false
        while attempt <= retry.attempts {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return nil }
            guard breaker.permitsCall() else {
                count("breaker_open")
                usage.append(record(.failed, TokenUsage.zero))
                return nil
            }
            let started = ContinuousClock.now
            do {
                let result = try await CallDeadline.run(min(callTimeout, remaining), grace: .zero) {
                    try await call(min(callTimeout, remaining))
                }
                breaker.recordSuccess()
                let elapsed = (ContinuousClock.now - started).components
                Timer(
                    label: "selfology_ai_call_duration",
                    dimensions: [("task", task.rawValue), ("model", model.description)]
                )
                .recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
                do {
                    let value = try decode(result.raw)
                    usage.append(record(.used, result.usage))
                    count("used")
                    return value
                } catch {
                    // The model answered but not in shape: worth one more try, then the next model.
                    usage.append(record(.failed, result.usage))
                    count("invalid_output")
                    logger.warning(
                        "model output rejected",
                        metadata: ["model": "\(model)", "task": "\(task.rawValue)", "reason": "\(error)"])
                    if retriedInvalidOutput { return nil }
                    retriedInvalidOutput = true
                    continue
                }
            } catch is CancellationError {
                return nil
            } catch {
                let failure = error as? ModelCallError ?? .transport("\(type(of: error))")
                usage.append(record(.failed, TokenUsage.zero))
                count(failure == .timedOut ? "timed_out" : "error")
                if failure.isRetryable { breaker.recordFailure() }
                logger.warning(
                    "model call failed",
                    metadata: [
                        "model": "\(model)", "task": "\(task.rawValue)", "attempt": "\(attempt)", "error": "\(failure)",
                    ])
                guard failure.isRetryable, attempt < retry.attempts,
                    let delay = retry.delay(after: attempt, retryAfter: failure.retryAfter, unit: random()),
                    ContinuousClock.now + delay < deadline
                else { return nil }
                try? await Task.sleep(for: delay)
                attempt += 1
            }
        }
        return nil
    }

    private func record(_ outcome: ModelUsage.Outcome, _ tokens: TokenUsage) -> ModelUsage {
        let cost = prices.costMicros(model: model.name, usage: tokens)
        if cost > 0 {
            Counter(
                label: "selfology_ai_cost_micros_total",
                dimensions: [("task", task.rawValue), ("model", model.description)]
            )
            .increment(by: Int(cost))
        }
        return ModelUsage(
            task: task, tier: tier, model: model.description, outcome: outcome, inputTokens: tokens.inputTokens,
            outputTokens: tokens.outputTokens, costMicros: cost)
    }

    private func count(_ outcome: String) {
        Counter(
            label: "selfology_ai_calls_total",
            dimensions: [("task", task.rawValue), ("tier", tier), ("model", model.description), ("outcome", outcome)]
        )
        .increment()
    }
}
