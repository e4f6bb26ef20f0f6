import SelfologyTestSupport
import Testing

@testable import SelfologyTelegram

@Suite("getUpdates long polling")
struct LongPollingTests {
    private func update(_ id: Int64, text: String) -> FakeJSON {
        [
            "update_id": .int(id),
            "message": [
                "message_id": .int(id), "date": 1_732_400_000, "text": .string(text),
                "chat": ["id": 42, "type": "private", "first_name": "Анна"],
                "from": ["id": 42, "is_bot": false, "first_name": "Анна"],
            ],
        ]
    }

    @Test func decodesARealisticBatchThroughTheClient() async throws {
        try await FakeBotAPI.run { fake in
            try fake.push(updatesJSON: RealisticUpdates.json)
            let updates = try await fake.client().getUpdates()
            #expect(updates.count == 8)
            #expect(updates[1].message?.content == .sticker)
            #expect(updates[2].editedMessage?.text == "Привет 👋🏽")
            #expect(updates[3].callbackQuery?.data == "mood:good")
        }
    }

    @Test func anOffsetConfirmsEarlierUpdatesAndOnlyThose() async throws {
        try await FakeBotAPI.run { fake in
            let client = fake.client()
            fake.push(update(1, text: "один"))
            fake.push(update(2, text: "два"))
            let first = try await client.getUpdates()
            #expect(first.map(\.updateID) == [1, 2])
            #expect(first.map { $0.message?.text } == ["один", "два"])

            fake.push(update(3, text: "три"))
            let offset = (first.map(\.updateID).max() ?? 0) + 1
            #expect(try await client.getUpdates(offset: offset).map(\.updateID) == [3], "1 and 2 were confirmed")
            #expect(try await client.getUpdates(offset: offset).map(\.updateID) == [3], "3 is not confirmed yet")
            #expect(try await client.getUpdates(offset: 4).isEmpty)
            #expect(fake.calls(to: "getUpdates").map { $0.body["offset"] } == [nil, 3, 3, 4])
        }
    }

    /// Were the poll not answered as soon as the update arrives, it would wait 120 s and exceed the time limit.
    @Test(.timeLimit(.minutes(1)))
    func aLongPollReturnsAsSoonAsAnUpdateArrives() async throws {
        try await FakeBotAPI.run { fake in
            let client = fake.client()
            let poll = Task { try await client.getUpdates(offset: 10, timeout: 120) }
            while fake.calls(to: "getUpdates").isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            try await Task.sleep(for: .milliseconds(200))
            fake.push(update(10, text: "наконец"))
            let updates = try await poll.value
            #expect(updates.map(\.updateID) == [10])
            #expect(updates.first?.message?.text == "наконец")
        }
    }

    @Test func aLongPollOutlastsTheOrdinaryRequestTimeout() async throws {
        try await FakeBotAPI.run { fake in
            let client = fake.client(requestTimeout: .milliseconds(300))
            let started = ContinuousClock.now
            let updates = try await client.getUpdates(timeout: 1)
            #expect(updates.isEmpty)
            #expect(ContinuousClock.now - started >= .seconds(1), "the server held the poll for its full timeout")
        }
    }
}
