import Synchronization
import Testing

@testable import SelfologyServices

/// `WakeSignal.wait()` has no timer of its own: a notification, a tick or cancellation ends it.
@Suite("Wake signal")
struct WakeSignalTests {
    /// Waits in a task and reports whether the wait has ended after `within`.
    func ended(_ signal: WakeSignal, within: Duration, while act: () -> Void) async throws -> Bool {
        let done = Mutex(false)
        let waiter = Task {
            await signal.wait()
            done.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(50))
        act()
        let deadline = ContinuousClock.now + within
        while !done.withLock({ $0 }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let ended = done.withLock { $0 }
        waiter.cancel()
        return ended
    }

    @Test("a wait ends when notified, and a notification before it is not lost; without one it keeps waiting")
    func notified() async throws {
        let signal = WakeSignal()
        #expect(try await !ended(signal, within: .milliseconds(300)) {})
        #expect(try await ended(signal, within: .seconds(5)) { signal.notify() })
        signal.notify()
        await signal.wait()  // returns at once: the notification waited for it
    }

    @Test("ticking wakes a waiting loop every interval until cancelled")
    func ticks() async throws {
        let signal = WakeSignal()
        let ticks = signal.ticking(every: .milliseconds(20))
        for _ in 0..<3 { await signal.wait() }
        ticks.cancel()
        await ticks.value
        signal.notify()
        await signal.wait()  // the tick's notification that may have come meanwhile, or this one
        #expect(try await !ended(signal, within: .milliseconds(300)) {}, "no ticks after cancelling")
    }

    @Test("a cancelled wait returns")
    func cancelled() async throws {
        let signal = WakeSignal()
        let waiter = Task { await signal.wait() }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await waiter.value
    }
}
