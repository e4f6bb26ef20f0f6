/// One incoming update, as the Bot API's `Update` object. At most one of the optional fields is set; an update of a
/// kind not listed here decodes with all of them nil and only its `updateID`, which still has to be confirmed.
public struct Update: Codable, Sendable, Hashable {
    /// Increases by one per update; the next `getUpdates` offset is the highest seen plus one.
    public var updateID: Int
    public var message: Message?
    public var editedMessage: Message?
    public var channelPost: Message?
    public var callbackQuery: CallbackQuery?

    public init(
        updateID: Int, message: Message? = nil, editedMessage: Message? = nil, channelPost: Message? = nil,
        callbackQuery: CallbackQuery? = nil
    ) {
        self.updateID = updateID
        self.message = message
        self.editedMessage = editedMessage
        self.channelPost = channelPost
        self.callbackQuery = callbackQuery
    }

    enum CodingKeys: String, CodingKey {
        case updateID = "update_id"
        case message
        case editedMessage = "edited_message"
        case channelPost = "channel_post"
        case callbackQuery = "callback_query"
    }
}
