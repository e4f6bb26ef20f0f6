import AsyncHTTPClient
import Foundation
import Logging
import SelfologyCore
import SelfologyServices
import SelfologyTelegram
import ServiceLifecycle

/// How the bot meets Telegram, from the environment: `TELEGRAM_BOT_TOKEN` (from @BotFather), and for a webhook
/// instead of long polling `TELEGRAM_WEBHOOK_URL` (public HTTPS address Telegram posts to),
/// `TELEGRAM_WEBHOOK_SECRET` (random if unset), `SELFOLOGY_HTTP_HOST`/`SELFOLOGY_HTTP_PORT` (where this process
/// listens, 0.0.0.0:8080). `TELEGRAM_API_URL` points at another Bot API server (self-hosted, or a test fake).
public struct TelegramSettings: Sendable {
    public var token: String
    public var apiURL = "https://api.telegram.org"
    public var webhookURL: String?
    public var webhookSecret = (0..<32).map { _ in String("0123456789abcdef".randomElement()!) }.joined()
    public var listenHost = "0.0.0.0"
    public var listenPort = 8080
    public var pollTimeout = 30
    public var sending = SendQueue.Configuration()

    public init(token: String) { self.token = token }

    public enum Problem: Error, CustomStringConvertible {
        case missingToken
        case invalid(String, String)
        public var description: String {
            switch self {
            case .missingToken: "set TELEGRAM_BOT_TOKEN to the token @BotFather gave you"
            case .invalid(let name, let value): "\(name)=\(value) is not valid"
            }
        }
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> TelegramSettings
    {
        guard let token = environment["TELEGRAM_BOT_TOKEN"], !token.isEmpty else { throw Problem.missingToken }
        var settings = TelegramSettings(token: token)
        if let url = environment["TELEGRAM_API_URL"] { settings.apiURL = url }
        if let url = environment["TELEGRAM_WEBHOOK_URL"] {
            guard URL(string: url)?.scheme != nil else { throw Problem.invalid("TELEGRAM_WEBHOOK_URL", url) }
            settings.webhookURL = url
        }
        if let secret = environment["TELEGRAM_WEBHOOK_SECRET"] {
            // Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -.
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_-"))
            guard (1...256).contains(secret.count), secret.unicodeScalars.allSatisfy(allowed.contains) else {
                throw Problem.invalid("TELEGRAM_WEBHOOK_SECRET", "(hidden)")
            }
            settings.webhookSecret = secret
        }
        if let host = environment["SELFOLOGY_HTTP_HOST"] { settings.listenHost = host }
        if let value = environment["SELFOLOGY_HTTP_PORT"] {
            guard let port = Int(value), (0...65535).contains(port) else {
                throw Problem.invalid("SELFOLOGY_HTTP_PORT", value)
            }
            settings.listenPort = port
        }
        return settings
    }

    /// Where the webhook listens: the path of the public URL, so a proxy can pass requests on unchanged.
    var webhookPath: String {
        let path = webhookURL.flatMap { URL(string: $0)?.path } ?? ""
        return path.isEmpty ? "/telegram/webhook" : path
    }
}

/// The Telegram front end of the gateway: the transport the runtime delivers through, and the service that
/// brings updates in (long polling, or the webhook server).
public final class TelegramFrontEnd: Sendable {
    public let settings: TelegramSettings
    let api: TelegramBotAPI
    let queue: SendQueue
    let logger: Logger

    public init(settings: TelegramSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        api = TelegramBotAPI(
            token: BotToken(settings.token), configuration: .init(baseURL: settings.apiURL), logger: logger)
        queue = SendQueue(configuration: settings.sending) { dropped in
            logger.warning(
                "Telegram message dropped",
                metadata: [
                    "chat_id": "\(dropped.chatID)", "attempts": "\(dropped.attempts)", "error": "\(dropped.error)",
                ])
        }
    }

    public var transport: any ChatTransport { TelegramTransport(api: api, queue: queue) }

    /// Checks the token, publishes the command menu in both languages, and points Telegram at this process's
    /// webhook, or removes any webhook so long polling works.
    public func connect() async throws {
        let bot = try await api.getMe()
        logger.info("connected to Telegram", metadata: ["bot": "\(bot.username ?? String(bot.id))"])
        for language in Language.allCases {
            let commands = BotTexts.commandMenu.map {
                BotCommand(command: $0.command, description: $0.description[language])
            }
            try await api.setMyCommands(commands: commands, languageCode: language == .en ? nil : language.rawValue)
        }
        if let url = settings.webhookURL {
            try await api.setWebhook(
                url: url, secretToken: settings.webhookSecret, allowedUpdates: TelegramInbound.allowedUpdates)
        } else {
            try await api.deleteWebhook(dropPendingUpdates: false)
        }
    }

    /// The service that receives updates for `gateway`. `onListening` reports the webhook's bound port.
    public func inbound(gateway: Gateway, onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> any Service
    {
        let frontDoor = TelegramFrontDoor(gateway: gateway, api: api, logger: logger)
        guard settings.webhookURL != nil else {
            return TelegramPoller(api: api, frontDoor: frontDoor, pollTimeout: settings.pollTimeout, logger: logger)
        }
        return TelegramWebhook.application(
            frontDoor: frontDoor, secret: settings.webhookSecret, path: settings.webhookPath,
            host: settings.listenHost, port: settings.listenPort, logger: logger, onRunning: onListening)
    }
}
