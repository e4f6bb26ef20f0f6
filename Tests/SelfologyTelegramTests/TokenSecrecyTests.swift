import SelfologyTestSupport
import Testing

@testable import SelfologyTelegram

/// The token is in every request URL; it must never reach an error or a log line. Neither may message text.
@Suite("Token secrecy")
struct TokenSecrecyTests {
    private let secretPart = String(FakeBotAPI.token.split(separator: ":").last ?? "")

    private func expectNoSecret(in text: String, _ comment: Comment? = nil) {
        #expect(!text.contains(FakeBotAPI.token), comment)
        #expect(!text.contains(secretPart), comment)
    }

    private func everyRendering(of error: TelegramError) -> [String] {
        [String(describing: error), String(reflecting: error), "\(error)", error.localizedDescription]
    }

    @Test func noErrorOrLogLineContainsTheTokenOrTheText() async throws {
        let logs = CapturedLogs()
        let text = "Мой секрет: я боюсь темноты"
        var errors: [TelegramError] = []
        try await FakeBotAPI.run { fake in
            fake.script("sendMessage", .tooManyRequests(retryAfter: 1), .internalServerError, .badGatewayPage)
            fake.script("sendMessage", .wrongResultShape, .delay(.seconds(5)))
            // An error description that quotes the request path, as a proxy's might: the token is cut out.
            fake.script(
                "sendMessage",
                .failure(code: 400, description: "Bad Request: wrong path /bot\(FakeBotAPI.token)/sendMessage")
            )
            fake.block(chatID: 13)
            let client = fake.client(requestTimeout: .milliseconds(500), logger: logs.logger())
            for chatID: Int64 in [1, 2, 3, 4, 5, 6, 13] {
                do throws(TelegramError) {
                    _ = try await client.sendMessage(chatID: chatID, text: text)
                } catch {
                    errors.append(error)
                }
            }
            do throws(TelegramError) {
                _ = try await fake.client(token: "1:Wrong", logger: logs.logger()).getMe()
            } catch {
                errors.append(error)
            }
        }
        let unreachable = FakeBotAPI.unreachableClient(logger: logs.logger())
        do throws(TelegramError) {
            _ = try await unreachable.sendMessage(chatID: 1, text: text)
        } catch {
            errors.append(error)
        }

        #expect(errors.count == 9, "\(errors)")
        #expect(errors.contains(.api(code: 400, description: "Bad Request: wrong path /bot<token>/sendMessage")))
        for error in errors {
            for rendering in everyRendering(of: error) {
                expectNoSecret(in: rendering, "\(rendering)")
                #expect(!rendering.contains("секрет"))
            }
        }
        #expect(logs.all.count >= 9)
        for line in logs.all {
            expectNoSecret(in: line, "\(line)")
            #expect(!line.contains("секрет"), "\(line)")
        }
    }

    @Test func printingTheTokenOrTheClientShowsNoSecret() {
        let token = BotToken(FakeBotAPI.token)
        let client = TelegramBotAPI(token: token)
        var dumped = ""
        dump(client, to: &dumped)
        for rendering in [
            "\(token)", String(reflecting: token), String(describing: client), String(reflecting: client), dumped,
        ] {
            expectNoSecret(in: rendering, "\(rendering)")
        }
    }
}
