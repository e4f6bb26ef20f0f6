import ArgumentParser
import Foundation
import SelfologyApp
import SelfologyContent
import UnixSignals

/// `selfology serve`: Selfology on Telegram, every service in this one process, on whichever runtime the
/// environment names (SQLite and the in-process bus by default; PostgreSQL and Redis with DATABASE_URL and
/// REDIS_URL). Long polling unless TELEGRAM_WEBHOOK_URL is set. SIGTERM or SIGINT stop it gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run Selfology on Telegram, all services in this process (needs TELEGRAM_BOT_TOKEN).")

    func run() async throws {
        let logger = Logs.bootstrap(default: .info)
        let configuration = try RuntimeConfiguration.fromEnvironment()
        let telegram = TelegramFrontEnd(settings: try TelegramSettings.fromEnvironment(), logger: logger)
        try await telegram.connect()
        let runtime = try await SelfologyRuntime.prepare(
            configuration: configuration, content: try ContentLibrary.bundled(), transport: telegram.transport,
            logger: logger)
        let group = runtime.makeServiceGroup(
            runtime.services + [telegram.inbound(gateway: runtime.gateway)], signals: [.sigterm, .sigint])
        logger.info(
            "serving on Telegram",
            metadata: ["updates": "\(telegram.settings.webhookURL == nil ? "long polling" : "webhook")"])
        try await group.run()
        try await runtime.close()
    }
}
