/// A message, as the Bot API's `Message` object: its text, or enough to tell which kind of non-text it is.
public struct Message: Codable, Sendable, Hashable {
    public var messageID: Int
    /// Absent for messages in channels.
    public var from: User?
    public var chat: Chat
    /// Unix time in seconds.
    public var date: Int
    public var text: String?
    public var sticker: PresentField?
    public var photo: PresentField?
    public var voice: PresentField?
    public var document: PresentField?
    public var video: PresentField?

    public init(
        messageID: Int, from: User? = nil, chat: Chat, date: Int, text: String? = nil, sticker: PresentField? = nil,
        photo: PresentField? = nil, voice: PresentField? = nil, document: PresentField? = nil,
        video: PresentField? = nil
    ) {
        self.messageID = messageID
        self.from = from
        self.chat = chat
        self.date = date
        self.text = text
        self.sticker = sticker
        self.photo = photo
        self.voice = voice
        self.document = document
        self.video = video
    }

    /// What the message carries, so a text-only bot can answer "I can only read text" to the rest.
    public var content: MessageContent {
        if let text { return .text(text) }
        if sticker != nil { return .sticker }
        if photo != nil { return .photo }
        if voice != nil { return .voice }
        if document != nil { return .document }
        if video != nil { return .video }
        return .other
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case from, chat, date, text, sticker, photo, voice, document, video
    }
}

/// The kind of a message's content; `other` covers everything Telegram has that the bot does not tell apart.
public enum MessageContent: Sendable, Hashable {
    case text(String)
    case sticker
    case photo
    case voice
    case document
    case video
    case other
}

/// A field whose presence is all the bot needs (a sticker, a photo, ...). Decoding accepts any JSON value and
/// keeps nothing, so changes in those objects can never break decoding of the message around them.
public struct PresentField: Codable, Sendable, Hashable {
    public init() {}

    public init(from decoder: any Decoder) throws {}

    /// Encodes as an empty object: the content was never kept.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode([String: String]())
    }
}
