import SelfologyCore
import SelfologyTelegram

/// What one Telegram update asks of the bot. Only private chats are conversations: coaching is one to one, so
/// groups and channels are ignored on purpose, as are edits (an answer is analysed the moment it arrives).
enum TelegramInbound: Sendable, Equatable {
    /// Text or a command from a person.
    case input(Person, ChatInput)
    /// A pressed button: the query must be answered whatever it carried; a valid action goes to the gateway and
    /// the pressed message loses its buttons. Malformed (forged or ancient) data changes nothing.
    case button(Person, queryID: String, action: ButtonAction?, pressedMessageID: Int?)
    /// A sticker, photo, voice message or file: the person is told the bot reads text only.
    case notText(Person)
    case ignored(Reason)

    enum Reason: String, Sendable {
        case notPrivate = "not a private chat"
        case edited = "edited message"
        case channelPost = "channel post"
        case noSender = "no sender"
        case otherKind = "update kind the bot does not use"
    }

    struct Person: Sendable, Equatable {
        let user: UserID
        let chatID: Int64
        /// The app's language: Russian for `ru`, English otherwise; used only for someone the bot does not know.
        let language: Language
    }

    /// The update kinds asked of Telegram; edits, channel posts and the rest are not even delivered (they are
    /// still ignored if a server sends them anyway).
    static let allowedUpdates = ["message", "callback_query"]

    init(_ update: Update) {
        if let message = update.message {
            guard message.chat.type == .private else { self = .ignored(.notPrivate); return }
            guard let sender = message.from else { self = .ignored(.noSender); return }
            let person = Self.person(sender, chatID: message.chat.id)
            if case .text(let text) = message.content {
                self = .input(person, ChatInput.parse(text))
            } else {
                self = .notText(person)
            }
        } else if let query = update.callbackQuery {
            if let chat = query.message?.chat, chat.type != .private { self = .ignored(.notPrivate); return }
            let person = Self.person(query.from, chatID: query.message?.chat.id ?? query.from.id)
            self = .button(
                person, queryID: query.id, action: query.data.flatMap(ButtonAction.init(callbackData:)),
                pressedMessageID: query.message?.messageID)
        } else if update.editedMessage != nil {
            self = .ignored(.edited)
        } else if update.channelPost != nil {
            self = .ignored(.channelPost)
        } else {
            self = .ignored(.otherKind)
        }
    }

    static func person(_ user: User, chatID: Int64) -> Person {
        let language: Language = (user.languageCode ?? "").lowercased().hasPrefix("ru") ? .ru : .en
        return Person(user: userID(telegramID: user.id), chatID: chatID, language: language)
    }

    /// Telegram people have their own id space.
    static func userID(telegramID: Int64) -> UserID { UserID("telegram:\(telegramID)") }

    /// The private chat of a Telegram person (its id is the person's id), or nil for other people.
    static func chatID(of user: UserID) -> Int64? {
        guard user.rawValue.hasPrefix("telegram:") else { return nil }
        return Int64(user.rawValue.dropFirst("telegram:".count))
    }
}
