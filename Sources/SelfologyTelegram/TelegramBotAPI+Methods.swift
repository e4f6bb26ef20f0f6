/// The Bot API methods the bot uses, named and shaped as in the Bot API documentation. Methods whose Telegram result
/// is just `true` return nothing.
extension TelegramBotAPI {
    /// The bot's own account: a cheap check that the token works.
    public func getMe() async throws(TelegramError) -> User {
        try await call("getMe", NoParameters())
    }

    /// Long polling. Updates with an id below `offset` are confirmed and never returned again, so pass the highest
    /// `updateID` seen plus one. Telegram holds the request up to `timeout` seconds when nothing is pending.
    public func getUpdates(
        offset: Int? = nil, timeout: Int = 0, allowedUpdates: [String]? = nil
    ) async throws(TelegramError) -> [Update] {
        try await call(
            "getUpdates", GetUpdatesParameters(offset: offset, timeout: timeout, allowedUpdates: allowedUpdates),
            timeout: .seconds(timeout) + configuration.longPollGrace
        )
    }

    /// Telegram then POSTs each update to `url` with the header `X-Telegram-Bot-Api-Secret-Token: <secretToken>`.
    public func setWebhook(
        url: String, secretToken: String? = nil, allowedUpdates: [String]? = nil, dropPendingUpdates: Bool? = nil
    ) async throws(TelegramError) {
        let _: Bool = try await call(
            "setWebhook",
            SetWebhookParameters(
                url: url, secretToken: secretToken, allowedUpdates: allowedUpdates,
                dropPendingUpdates: dropPendingUpdates
            )
        )
    }

    /// Needed before `getUpdates` works again on a bot that had a webhook.
    public func deleteWebhook(dropPendingUpdates: Bool? = nil) async throws(TelegramError) {
        let _: Bool = try await call("deleteWebhook", DeleteWebhookParameters(dropPendingUpdates: dropPendingUpdates))
    }

    /// `parseMode` nil sends plain text, which needs no escaping; with `.markdownV2` escape user-provided parts with
    /// `MarkdownV2.escape`. Text over 4096 characters is refused by Telegram: split it with `MessageSplitter`.
    public func sendMessage(
        chatID: Int64, text: String, parseMode: ParseMode? = nil, replyMarkup: InlineKeyboardMarkup? = nil
    ) async throws(TelegramError) -> Message {
        try await call(
            "sendMessage",
            SendMessageParameters(chatID: chatID, text: text, parseMode: parseMode, replyMarkup: replyMarkup)
        )
    }

    /// Ends the button's loading spinner; `text` shows as a short notification.
    public func answerCallbackQuery(id: String, text: String? = nil) async throws(TelegramError) {
        let _: Bool = try await call("answerCallbackQuery", AnswerCallbackQueryParameters(id: id, text: text))
    }

    /// Replaces a sent message's buttons; `replyMarkup` nil removes them (for example after one was pressed).
    @discardableResult
    public func editMessageReplyMarkup(
        chatID: Int64, messageID: Int, replyMarkup: InlineKeyboardMarkup? = nil
    ) async throws(TelegramError) -> Message {
        try await call(
            "editMessageReplyMarkup",
            EditMessageReplyMarkupParameters(chatID: chatID, messageID: messageID, replyMarkup: replyMarkup)
        )
    }

    /// Shows "typing…" in the chat for up to five seconds, or until the bot's next message arrives.
    public func sendChatAction(chatID: Int64, action: ChatAction = .typing) async throws(TelegramError) {
        let _: Bool = try await call("sendChatAction", SendChatActionParameters(chatID: chatID, action: action))
    }

    /// The command menu; `languageCode` nil sets the default for users without a dedicated list.
    public func setMyCommands(commands: [BotCommand], languageCode: String? = nil) async throws(TelegramError) {
        let _: Bool = try await call(
            "setMyCommands", SetMyCommandsParameters(commands: commands, languageCode: languageCode)
        )
    }
}

/// The Bot API's `parse_mode` values.
public enum ParseMode: String, Codable, Sendable {
    case markdownV2 = "MarkdownV2"
    case html = "HTML"
}

/// `sendChatAction`'s action; a struct so any documented action can be sent, with the one the bot uses named.
public struct ChatAction: RawRepresentable, Codable, Sendable, Hashable {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let typing = ChatAction(rawValue: "typing")
}
