import Foundation

/// Runs blocking work (waiting for a child process, polling a server) on a thread of its own. Foundation's
/// `waitUntilExit()` spins and `Thread.sleep` blocks; on the 2-thread cooperative pool of a 2-core machine either
/// would starve every other test's async work.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
