// The JSON bodies of the methods, field names as in the Bot API documentation. Optional fields that are nil are left
// out of the JSON, so Telegram applies its defaults.

struct NoParameters: Encodable, Sendable {}

struct GetUpdatesParameters: Encodable, Sendable {
    var offset: Int?
    var timeout: Int
    var allowedUpdates: [String]?

    enum CodingKeys: String, CodingKey {
        case offset, timeout
        case allowedUpdates = "allowed_updates"
    }
}

struct SetWebhookParameters: Encodable, Sendable {
    var url: String
    var secretToken: String?
    var allowedUpdates: [String]?
    var dropPendingUpdates: Bool?

    enum CodingKeys: String, CodingKey {
        case url
        case secretToken = "secret_token"
        case allowedUpdates = "allowed_updates"
        case dropPendingUpdates = "drop_pending_updates"
    }
}

struct DeleteWebhookParameters: Encodable, Sendable {
    var dropPendingUpdates: Bool?

    enum CodingKeys: String, CodingKey {
        case dropPendingUpdates = "drop_pending_updates"
    }
}

struct SendMessageParameters: Encodable, Sendable {
    var chatID: Int64
    var text: String
    var parseMode: ParseMode?
    var replyMarkup: InlineKeyboardMarkup?

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case text
        case parseMode = "parse_mode"
        case replyMarkup = "reply_markup"
    }
}

struct AnswerCallbackQueryParameters: Encodable, Sendable {
    var id: String
    var text: String?

    enum CodingKeys: String, CodingKey {
        case id = "callback_query_id"
        case text
    }
}

struct EditMessageReplyMarkupParameters: Encodable, Sendable {
    var chatID: Int64
    var messageID: Int
    var replyMarkup: InlineKeyboardMarkup?

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case messageID = "message_id"
        case replyMarkup = "reply_markup"
    }
}

struct SendChatActionParameters: Encodable, Sendable {
    var chatID: Int64
    var action: ChatAction

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case action
    }
}

struct SetMyCommandsParameters: Encodable, Sendable {
    var commands: [BotCommand]
    var languageCode: String?

    enum CodingKeys: String, CodingKey {
        case commands
        case languageCode = "language_code"
    }
}
