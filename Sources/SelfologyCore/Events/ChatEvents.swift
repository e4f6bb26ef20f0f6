public struct MessageReceived: EventPayload {
    public static let eventType = EventType.messageReceived
    public let text: String
    public let language: Language

    public init(text: String, language: Language) {
        self.text = text
        self.language = language
    }
}

public struct CoachMessageReady: EventPayload {
    public static let eventType = EventType.coachMessageReady
    public let text: String
    public let language: Language
    public let style: CoachingStyle
    public let inReplyTo: EventID

    enum CodingKeys: String, CodingKey {
        case text, language, style
        case inReplyTo = "in_reply_to"
    }

    public init(text: String, language: Language, style: CoachingStyle, inReplyTo: EventID) {
        self.text = text
        self.language = language
        self.style = style
        self.inReplyTo = inReplyTo
    }
}
