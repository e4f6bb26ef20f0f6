/// A press on an inline keyboard button, as the Bot API's `CallbackQuery` object.
public struct CallbackQuery: Codable, Sendable, Hashable {
    /// Pass to `answerCallbackQuery`; the client shows a spinner until it is answered.
    public var id: String
    public var from: User
    /// The message with the button; absent when the message is too old (or was sent inline).
    public var message: Message?
    /// The button's `callback_data`.
    public var data: String?

    public init(id: String, from: User, message: Message? = nil, data: String? = nil) {
        self.id = id
        self.from = from
        self.message = message
        self.data = data
    }
}
