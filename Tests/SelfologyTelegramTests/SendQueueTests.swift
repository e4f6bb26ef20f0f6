import Synchronization
import Testing

@testable import SelfologyTelegram

@Suite("Send queue")
struct SendQueueTests {
    /// What the queue's sends did, in the order they did it.
    final class Journal: Sendable {
        struct Entry: Sendable {
            let chatID: Int64
            let text: String
            let at: ContinuousClock.Instant
        }

        private let attemptsLog = Mutex<[Entry]>([])
        private let deliveriesLog = Mutex<[Entry]>([])
        private let dropsLog = Mutex<[SendQueue.Dropped]>([])

        var attempts: [Entry] { attemptsLog.withLock { $0 } }
        var deliveries: [Entry] { deliveriesLog.withLock { $0 } }
        var drops: [SendQueue.Dropped] { dropsLog.withLock { $0 } }

        func texts(deliveredTo chatID: Int64) -> [String] {
            deliveries.filter { $0.chatID == chatID }.map(\.text)
        }

        func attemptTimes(in chatID: Int64) -> [ContinuousClock.Instant] {
            attempts.filter { $0.chatID == chatID }.map(\.at)
        }

        func recordDrop(_ dropped: SendQueue.Dropped) {
            dropsLog.withLock { $0.append(dropped) }
        }

        /// A send of `text` through `client` that logs its attempt and, if it succeeds, its delivery.
        func send(_ text: String, to chatID: Int64, with client: TelegramBotAPI) -> SendQueue.Send {
            {
                self.attemptsLog.withLock { $0.append(Entry(chatID: chatID, text: text, at: .now)) }
                _ = try await client.sendMessage(chatID: chatID, text: text)
                self.deliveriesLog.withLock { $0.append(Entry(chatID: chatID, text: text, at: .now)) }
            }
        }
    }

    private func makeQueue(
        _ journal: Journal, perChatInterval: Duration = .milliseconds(300), overallInterval: Duration = .milliseconds(5)
    ) -> SendQueue {
        SendQueue(
            configuration: .init(
                perChatInterval: perChatInterval, overallInterval: overallInterval, maximumAttempts: 3,
                initialBackoff: .milliseconds(50), maximumBackoff: .milliseconds(200)
            ),
            onDrop: journal.recordDrop
        )
    }

    /// Consecutive instants are at least `interval` apart, less `tolerance` for the time between the queue's
    /// decision and the send starting to run.
    private func expectSpacing(
        _ instants: [ContinuousClock.Instant], atLeast interval: Duration, tolerance: Duration = .milliseconds(60),
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for (earlier, later) in zip(instants, instants.dropFirst()) {
            #expect(later - earlier >= interval - tolerance, "\(later - earlier)", sourceLocation: sourceLocation)
        }
    }

    @Test func keepsEachChatsOrderAndPaceWithoutSerializingChats() async throws {
        try await FakeBotAPI.run { fake in
            let client = fake.client()
            let journal = Journal()
            let queue = makeQueue(journal)
            for index in 1...5 {
                await queue.enqueue(chatID: 1, journal.send("a\(index)", to: 1, with: client))
                await queue.enqueue(chatID: 2, journal.send("b\(index)", to: 2, with: client))
            }
            await queue.drain()

            #expect(journal.texts(deliveredTo: 1) == ["a1", "a2", "a3", "a4", "a5"])
            #expect(journal.texts(deliveredTo: 2) == ["b1", "b2", "b3", "b4", "b5"])
            let receivedByChat1 = fake.calls(to: "sendMessage").filter { $0.body["chat_id"] == 1 }
                .map { $0.body["text"] }
            #expect(receivedByChat1 == ["a1", "a2", "a3", "a4", "a5"], "the server got them in order too")
            expectSpacing(journal.attemptTimes(in: 1), atLeast: .milliseconds(300))
            expectSpacing(journal.attemptTimes(in: 2), atLeast: .milliseconds(300))
            let firstOfChat2 = try #require(journal.attemptTimes(in: 2).first)
            let secondOfChat1 = try #require(journal.attemptTimes(in: 1).dropFirst().first)
            #expect(firstOfChat2 < secondOfChat1, "chat 2 did not wait for chat 1")
            #expect(journal.drops.isEmpty)
        }
    }

    @Test func keepsTheOverallPaceAcrossChats() async throws {
        try await FakeBotAPI.run { fake in
            let client = fake.client()
            let journal = Journal()
            let start = ContinuousClock.now
            let queue = makeQueue(journal, overallInterval: .milliseconds(100))
            for chatID: Int64 in 1...8 {
                await queue.enqueue(chatID: chatID, journal.send("hi", to: chatID, with: client))
            }
            await queue.drain()
            #expect(journal.deliveries.count == 8)
            // The k-th send has a slot k intervals after the start at the earliest. Comparing with the start
            // rather than with the previous send keeps this a pure lower bound: a send the scheduler runs late
            // cannot make the next one look early.
            for (index, attempt) in journal.attempts.map(\.at).sorted().enumerated() {
                #expect(attempt - start >= .milliseconds(100) * index)
            }
        }
    }

    @Test func aFloodControlStormPausesEverythingAndDeliversEachMessageOnceInOrder() async throws {
        try await FakeBotAPI.run { fake in
            let client = fake.client()
            let journal = Journal()
            let queue = makeQueue(journal)
            fake.script(
                "sendMessage", chatID: 1, .tooManyRequests(retryAfter: 1), .tooManyRequests(retryAfter: 1),
                .tooManyRequests(retryAfter: 1)
            )
            for text in ["a1", "a2", "a3"] { await queue.enqueue(chatID: 1, journal.send(text, to: 1, with: client)) }
            for text in ["b1", "b2", "b3"] { await queue.enqueue(chatID: 2, journal.send(text, to: 2, with: client)) }
            await queue.drain()

            #expect(journal.drops.isEmpty)
            #expect(journal.texts(deliveredTo: 1) == ["a1", "a2", "a3"])
            #expect(journal.texts(deliveredTo: 2) == ["b1", "b2", "b3"])
            let calls = fake.calls(to: "sendMessage")
            let chat1 = calls.filter { $0.body["chat_id"] == 1 }
            #expect(chat1.map { $0.body["text"] } == ["a1", "a1", "a1", "a1", "a2", "a3"], "a1 retried until accepted")
            #expect(calls.filter { $0.body["chat_id"] == 2 }.map { $0.body["text"] } == ["b1", "b2", "b3"])

            // Each 429 paused the whole queue for retry_after: after one, no call of either chat reached the server
            // for a second, except one already on its way when the 429 arrived (allowed 500 ms to get there on a
            // loaded machine). Were only chat 1 paused, chat 2 would send every 300 ms into that window.
            for refused in chat1.prefix(3) {
                let window = (refused.receivedAt + .milliseconds(500))..<(refused.receivedAt + .seconds(1))
                #expect(!calls.contains { window.contains($0.receivedAt) })
            }
        }
    }

    @Test func aBlockedChatIsReportedAndDoesNotBlockOthers() async throws {
        try await FakeBotAPI.run { fake in
            let client = fake.client()
            let journal = Journal()
            let queue = makeQueue(journal)
            fake.block(chatID: 2)
            let blockedTickets = [
                await queue.enqueue(chatID: 2, journal.send("x1", to: 2, with: client)),
                await queue.enqueue(chatID: 2, journal.send("x2", to: 2, with: client)),
            ]
            for text in ["y1", "y2", "y3"] { await queue.enqueue(chatID: 1, journal.send(text, to: 1, with: client)) }
            await queue.drain()

            #expect(journal.texts(deliveredTo: 1) == ["y1", "y2", "y3"])
            let drops = journal.drops
            #expect(drops.map(\.ticket) == blockedTickets)
            #expect(drops.allSatisfy { $0.chatID == 2 && $0.attempts == 1 }, "403 is not retried")
            #expect(
                drops.allSatisfy {
                    $0.error as? TelegramError == .api(code: 403, description: "Forbidden: bot was blocked by the user")
                }
            )
        }
    }

    @Test func aSlowChatDoesNotHoldBackOthers() async throws {
        try await FakeBotAPI.run { fake in
            let client = fake.client()
            let journal = Journal()
            let queue = makeQueue(journal)
            fake.script("sendMessage", chatID: 3, .delay(.seconds(5)))
            await queue.enqueue(chatID: 3, journal.send("slow", to: 3, with: client))
            for text in ["y1", "y2", "y3"] { await queue.enqueue(chatID: 1, journal.send(text, to: 1, with: client)) }
            await queue.drain()
            #expect(journal.deliveries.map(\.text) == ["y1", "y2", "y3", "slow"])
        }
    }

    @Test func retriesRetryableFailuresAndDropsAfterTheLastAttempt() async throws {
        try await FakeBotAPI.run { fake in
            let client = fake.client()
            let journal = Journal()
            let queue = makeQueue(journal)
            fake.script("sendMessage", chatID: 4, .internalServerError, .badGatewayPage)
            fake.script("sendMessage", chatID: 5, .internalServerError, .internalServerError, .internalServerError)
            await queue.enqueue(chatID: 4, journal.send("recovers", to: 4, with: client))
            let lost = await queue.enqueue(chatID: 5, journal.send("lost", to: 5, with: client))
            await queue.enqueue(chatID: 5, journal.send("next", to: 5, with: client))
            await queue.drain()

            #expect(journal.texts(deliveredTo: 4) == ["recovers"])
            #expect(journal.attemptTimes(in: 4).count == 3)
            #expect(journal.texts(deliveredTo: 5) == ["next"], "the chat goes on after a dropped send")
            let drop = try #require(journal.drops.first)
            #expect(journal.drops.count == 1)
            #expect(drop.ticket == lost)
            #expect(drop.attempts == 3)
            #expect(drop.error as? TelegramError == .api(code: 500, description: "Internal Server Error"))
        }
    }

    @Test func anErrorThatIsNotTelegramsIsNotRetried() async {
        struct Unexpected: Error {}
        let journal = Journal()
        let queue = makeQueue(journal)
        let attempts = Mutex(0)
        await queue.drain()
        await queue.enqueue(chatID: 1) {
            attempts.withLock { $0 += 1 }
            throw Unexpected()
        }
        await queue.drain()
        #expect(attempts.withLock { $0 } == 1)
        #expect(journal.drops.count == 1)
        #expect(journal.drops.first?.error is Unexpected)
    }
}
