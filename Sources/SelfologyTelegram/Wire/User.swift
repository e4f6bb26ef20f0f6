/// A Telegram user or bot, as the Bot API's `User` object. Only the fields the bot reads are decoded; Telegram adds
/// fields over time and the decoder ignores the ones not named here.
public struct User: Codable, Sendable, Hashable {
    public var id: Int64
    public var isBot: Bool
    public var firstName: String
    public var username: String?
    /// IETF language tag of the user's app language, when Telegram shares it: the first guess for replies.
    public var languageCode: String?

    public init(id: Int64, isBot: Bool, firstName: String, username: String? = nil, languageCode: String? = nil) {
        self.id = id
        self.isBot = isBot
        self.firstName = firstName
        self.username = username
        self.languageCode = languageCode
    }

    enum CodingKeys: String, CodingKey {
        case id
        case isBot = "is_bot"
        case firstName = "first_name"
        case username
        case languageCode = "language_code"
    }
}
