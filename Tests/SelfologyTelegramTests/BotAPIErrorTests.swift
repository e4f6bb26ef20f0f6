import Testing

@testable import SelfologyTelegram

@Suite("Bot API errors")
struct BotAPIErrorTests {
    /// The client's error from `call`, nil if it succeeded.
    private func failure(of call: () async throws -> Void) async -> TelegramError? {
        do {
            try await call()
            return nil
        } catch {
            return error as? TelegramError
        }
    }

    @Test func aWrongTokenIsUnauthorizedAndNotRetryable() async throws {
        try await FakeBotAPI.run { fake in
            let error = await failure { _ = try await fake.client(token: "987654:WrongToken").getMe() }
            #expect(error == .api(code: 401, description: "Unauthorized"))
            #expect(error?.isRetryable == false)
        }
    }

    @Test func floodControlCarriesRetryAfter() async throws {
        try await FakeBotAPI.run { fake in
            fake.script("sendMessage", .tooManyRequests(retryAfter: 7))
            let error = await failure { _ = try await fake.client().sendMessage(chatID: 1, text: "x") }
            #expect(error == .api(code: 429, description: "Too Many Requests: retry after 7", retryAfter: 7))
            #expect(error?.retryAfter == 7)
            #expect(error?.isRetryable == true)
        }
    }

    @Test func serverErrorsAreRetryableEvenWithoutTheJSONEnvelope() async throws {
        try await FakeBotAPI.run { fake in
            fake.script("getMe", .internalServerError, .badGatewayPage)
            let client = fake.client()
            let serverError = await failure { _ = try await client.getMe() }
            #expect(serverError == .api(code: 500, description: "Internal Server Error"))
            #expect(serverError?.isRetryable == true)
            let gateway = await failure { _ = try await client.getMe() }
            #expect(gateway == .api(code: 502, description: "Bad Gateway"))
            #expect(gateway?.isRetryable == true)
        }
    }

    @Test func aBlockedUserIsForbiddenAndNotRetryable() async throws {
        try await FakeBotAPI.run { fake in
            fake.block(chatID: 5)
            let error = await failure { _ = try await fake.client().sendMessage(chatID: 5, text: "x") }
            #expect(error == .api(code: 403, description: "Forbidden: bot was blocked by the user"))
            #expect(error?.isRetryable == false)
            #expect(error?.retryAfter == nil)
        }
    }

    @Test func aMigratedGroupNamesTheSupergroup() async throws {
        try await FakeBotAPI.run { fake in
            let description = "Bad Request: group chat was upgraded to a supergroup chat"
            fake.script(
                "sendMessage",
                .failure(code: 400, description: description, parameters: ["migrate_to_chat_id": -1_001_987_654_321])
            )
            let error = await failure { _ = try await fake.client().sendMessage(chatID: -55, text: "x") }
            #expect(error == .api(code: 400, description: description, migrateToChatID: -1_001_987_654_321))
        }
    }

    @Test func aResultOfTheWrongShapeIsADecodingError() async throws {
        try await FakeBotAPI.run { fake in
            fake.script("sendMessage", .wrongResultShape)
            let error = await failure { _ = try await fake.client().sendMessage(chatID: 1, text: "секретный текст") }
            guard case .decoding(let reason) = error else {
                Issue.record("expected a decoding error, got \(String(describing: error))")
                return
            }
            #expect(reason.hasPrefix("sendMessage: missing key"))
            #expect(!reason.contains("секретный"))
            #expect(error?.isRetryable == false)
        }
    }

    @Test func noServerIsATransportError() async {
        let client = FakeBotAPI.unreachableClient()
        let error = await failure { _ = try await client.getMe() }
        guard case .transport = error else {
            Issue.record("expected a transport error, got \(String(describing: error))")
            return
        }
        #expect(error?.isRetryable == true)
    }

    @Test func aSlowAnswerTimesOutAsATransportError() async throws {
        try await FakeBotAPI.run { fake in
            fake.script("getMe", .delay(.seconds(5)))
            let error = await failure { _ = try await fake.client(requestTimeout: .milliseconds(300)).getMe() }
            guard case .transport = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func aCancelledCallSaysSo() async throws {
        try await FakeBotAPI.run { fake in
            let client = fake.client()
            let poll = Task { try await client.getUpdates(timeout: 60) }
            while fake.calls(to: "getUpdates").isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            poll.cancel()
            await #expect(throws: TelegramError.cancelled) { try await poll.value }
        }
    }
}
