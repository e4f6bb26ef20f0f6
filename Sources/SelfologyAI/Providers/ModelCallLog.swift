import Logging

/// Failed calls are logged at debug level with the model, the time taken and the error, which carries no prompt,
/// output or key by construction. A cancelled call is not a failure of the model and is not logged.
enum ModelCallLog {
    static func around<Value>(
        _ id: ModelID, _ logger: Logger, _ call: () async throws -> Value
    ) async throws -> Value {
        let started = ContinuousClock.now
        do {
            return try await call()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.debug(
                "model call failed",
                metadata: [
                    "model": "\(id)", "elapsed": "\(ContinuousClock.now - started)", "error": "\(error)",
                ])
            throw error
        }
    }
}
