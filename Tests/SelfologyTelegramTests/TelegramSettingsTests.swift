import SelfologyApp
import Testing

/// What an operator sets for Telegram, and the clear refusals of what cannot work.
@Suite("Telegram settings")
struct TelegramSettingsTests {
    @Test("no token is refused with a pointer to @BotFather")
    func missingToken() {
        #expect {
            _ = try TelegramSettings.fromEnvironment([:])
        } throws: { "\($0)".contains("@BotFather") }
    }

    @Test("a webhook URL switches to webhook mode and its path is where the process listens")
    func webhook() throws {
        let settings = try TelegramSettings.fromEnvironment([
            "TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/hooks/tg",
            "TELEGRAM_WEBHOOK_SECRET": "abc_DEF-123", "SELFOLOGY_HTTP_PORT": "9090",
        ])
        #expect(settings.webhookURL == "https://bot.example.org/hooks/tg")
        #expect(settings.webhookSecret == "abc_DEF-123")
        #expect(settings.listenPort == 9090)
        let polling = try TelegramSettings.fromEnvironment(["TELEGRAM_BOT_TOKEN": "1:x"])
        #expect(polling.webhookURL == nil)
        #expect(polling.webhookSecret.count == 32)
    }

    @Test("a secret Telegram would reject is refused without being echoed")
    func badSecret() {
        #expect {
            _ = try TelegramSettings.fromEnvironment([
                "TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_WEBHOOK_SECRET": "no spaces!",
            ])
        } throws: { "\($0)".contains("TELEGRAM_WEBHOOK_SECRET") && !"\($0)".contains("no spaces") }
    }
}
