/// Paces outgoing sends within Telegram's limits (about one message a second per chat, 30 a second overall) and
/// retries what Telegram asks to retry. Each chat is served by its own worker, in the order its sends were
/// enqueued, so one chat's retries or blocked user never hold back another chat.
///
/// On flood control (an error carrying `retry_after`) the whole queue pauses that long and the same send is tried
/// again: with every chat already held to its own limit, a 429 means the bot's overall budget is spent. Other
/// retryable errors are retried with exponential backoff up to `maximumAttempts`; a send that still fails, or fails
/// in a way retrying cannot fix (403 blocked by the user, 400), is dropped and reported through `onDrop`.
public actor SendQueue {
    public typealias Send = @Sendable () async throws -> Void

    public struct Configuration: Sendable {
        /// The shortest time between two attempts in the same chat.
        public var perChatInterval: Duration
        /// The shortest time between any two attempts: 1/30 s keeps the queue under 30 messages a second.
        public var overallInterval: Duration
        /// Attempts of one send that fail with retryable errors other than flood control, before it is dropped.
        public var maximumAttempts: Int
        /// Flood control waits of one send before it is treated like any other retryable failure, so a server that
        /// never stops answering 429 cannot keep a send forever.
        public var maximumFloodWaits: Int
        /// The wait after a send's first retryable failure; it doubles with each further one, up to `maximumBackoff`.
        public var initialBackoff: Duration
        public var maximumBackoff: Duration

        public init(
            perChatInterval: Duration = .seconds(1), overallInterval: Duration = .seconds(1) / 30,
            maximumAttempts: Int = 5, maximumFloodWaits: Int = 10, initialBackoff: Duration = .milliseconds(500),
            maximumBackoff: Duration = .seconds(30)
        ) {
            precondition(maximumAttempts > 0, "a send needs at least one attempt")
            self.perChatInterval = perChatInterval
            self.overallInterval = overallInterval
            self.maximumAttempts = maximumAttempts
            self.maximumFloodWaits = maximumFloodWaits
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
        }
    }

    /// A send given up on: the error of its last attempt and how many attempts were made.
    public struct Dropped: Sendable {
        public let ticket: SendTicket
        public let chatID: Int64
        public let error: any Error
        public let attempts: Int
    }

    private struct Pending {
        let ticket: SendTicket
        let send: Send
    }

    private let configuration: Configuration
    private let onDrop: @Sendable (Dropped) -> Void
    /// Sends waiting per chat. A chat has an entry exactly while its worker runs.
    private var lanes: [Int64: [Pending]] = [:]
    private var nextOverallSlot = ContinuousClock.now
    private var pausedUntil = ContinuousClock.now
    private var lastTicket: UInt64 = 0
    /// Enqueued sends not yet delivered or dropped.
    private var outstanding = 0
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []
    /// Callers of `send` waiting for their send's outcome.
    private var awaiting: [SendTicket: CheckedContinuation<Void, any Error>] = [:]

    public init(configuration: Configuration = Configuration(), onDrop: @escaping @Sendable (Dropped) -> Void) {
        self.configuration = configuration
        self.onDrop = onDrop
    }

    /// Queues `send` behind the earlier sends to `chatID` and returns at once.
    @discardableResult
    public func enqueue(chatID: Int64, _ send: @escaping Send) -> SendTicket {
        lastTicket += 1
        let pending = Pending(ticket: SendTicket(rawValue: lastTicket), send: send)
        outstanding += 1
        if lanes[chatID] != nil {
            lanes[chatID]?.append(pending)
        } else {
            lanes[chatID] = [pending]
            Task { await serve(chatID: chatID) }
        }
        return pending.ticket
    }

    /// Queues `send` like `enqueue`, then waits for its outcome: returns once it was delivered, throws the error
    /// of its last attempt if it was dropped. For callers that may only record a message as sent once it is.
    public func send(chatID: Int64, _ send: @escaping Send) async throws {
        try await withCheckedThrowingContinuation { continuation in
            awaiting[enqueue(chatID: chatID, send)] = continuation
        }
    }

    /// Returns once every send enqueued so far has been delivered or dropped.
    public func drain() async {
        guard outstanding > 0 else { return }
        await withCheckedContinuation { drainWaiters.append($0) }
    }

    /// One chat's worker. After its last send it stays until the chat's interval has passed, so a send enqueued
    /// meanwhile still waits its turn; then it removes the lane and ends.
    private func serve(chatID: Int64) async {
        var lastAttempt: ContinuousClock.Instant?
        while true {
            if let next = lanes[chatID]?.first {
                lanes[chatID]?.removeFirst()
                let failure = await deliver(next, to: chatID, lastAttempt: &lastAttempt)
                if let waiter = awaiting.removeValue(forKey: next.ticket) {
                    if let failure { waiter.resume(throwing: failure) } else { waiter.resume() }
                }
                finishOne()
            } else if let lastAttempt, ContinuousClock.now < lastAttempt + configuration.perChatInterval {
                try? await Task.sleep(until: lastAttempt + configuration.perChatInterval, clock: .continuous)
            } else {
                lanes[chatID] = nil
                return
            }
        }
    }

    /// Returns nil once delivered, or the last error when the send was given up on.
    private func deliver(_ pending: Pending, to chatID: Int64, lastAttempt: inout ContinuousClock.Instant?) async
        -> (any Error)?
    {
        var attempts = 0
        var failures = 0
        var floodWaits = 0
        while true {
            if let lastAttempt {
                try? await Task.sleep(until: lastAttempt + configuration.perChatInterval, clock: .continuous)
            }
            await waitForOverallSlot()
            lastAttempt = .now
            attempts += 1
            do {
                try await pending.send()
                return nil
            } catch {
                let telegramError = error as? TelegramError
                if let retryAfter = telegramError?.retryAfter, floodWaits < configuration.maximumFloodWaits {
                    floodWaits += 1
                    pausedUntil = max(pausedUntil, .now + .seconds(retryAfter))
                    continue
                }
                failures += 1
                if telegramError?.isRetryable == true, failures < configuration.maximumAttempts {
                    try? await Task.sleep(for: backoff(afterFailures: failures))
                    continue
                }
                onDrop(Dropped(ticket: pending.ticket, chatID: chatID, error: error, attempts: attempts))
                return error
            }
        }
    }

    /// Waits for the next free slot of the overall rate, and past any flood control pause, even one that began
    /// while waiting.
    private func waitForOverallSlot() async {
        while true {
            let now = ContinuousClock.now
            let slot = max(now, nextOverallSlot, pausedUntil)
            nextOverallSlot = slot + configuration.overallInterval
            if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
            if pausedUntil <= .now { return }
        }
    }

    private func backoff(afterFailures failures: Int) -> Duration {
        let doubled = configuration.initialBackoff * (1 << min(failures - 1, 20))
        return min(doubled, configuration.maximumBackoff)
    }

    private func finishOne() {
        outstanding -= 1
        guard outstanding == 0 else { return }
        let waiters = drainWaiters
        drainWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }
}

/// Names one enqueued send, to match a `SendQueue.Dropped` report with what was sent.
public struct SendTicket: Hashable, Sendable {
    public let rawValue: UInt64
}
