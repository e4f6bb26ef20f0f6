/// Buttons under a message, as the Bot API's `InlineKeyboardMarkup`: rows of buttons.
public struct InlineKeyboardMarkup: Codable, Sendable, Hashable {
    public var inlineKeyboard: [[InlineKeyboardButton]]

    public init(inlineKeyboard: [[InlineKeyboardButton]]) {
        self.inlineKeyboard = inlineKeyboard
    }

    enum CodingKeys: String, CodingKey {
        case inlineKeyboard = "inline_keyboard"
    }
}

/// A button that sends `callbackData` back as a `CallbackQuery`. Telegram allows 1-64 bytes of callback data.
public struct InlineKeyboardButton: Codable, Sendable, Hashable {
    public var text: String
    public var callbackData: String

    public init(text: String, callbackData: String) {
        self.text = text
        self.callbackData = callbackData
    }

    enum CodingKeys: String, CodingKey {
        case text
        case callbackData = "callback_data"
    }
}
