/// The chat a message belongs to, as the Bot API's `Chat` object (id and type only).
public struct Chat: Codable, Sendable, Hashable {
    /// Chat identifiers can exceed 32 bits (the docs promise at most 52 significant bits), hence `Int64`.
    public var id: Int64
    public var type: ChatType

    public init(id: Int64, type: ChatType) {
        self.id = id
        self.type = type
    }
}

/// `Chat.type`. A struct rather than an enum so that a type Telegram adds later decodes instead of failing the
/// whole update.
public struct ChatType: RawRepresentable, Codable, Sendable, Hashable {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let `private` = ChatType(rawValue: "private")
    public static let group = ChatType(rawValue: "group")
    public static let supergroup = ChatType(rawValue: "supergroup")
    public static let channel = ChatType(rawValue: "channel")
}
