/// Every Bot API answer: `{"ok":true,"result":…}` on success, or
/// `{"ok":false,"error_code":N,"description":"…","parameters":{…}}` on failure.
public struct TelegramResponse<Value: Decodable & Sendable>: Decodable, Sendable {
    public var ok: Bool
    public var result: Value?
    public var errorCode: Int?
    public var description: String?
    public var parameters: ResponseParameters?

    enum CodingKeys: String, CodingKey {
        case ok, result
        case errorCode = "error_code"
        case description, parameters
    }
}

/// Why a request failed, in a form a program can act on (the Bot API's `ResponseParameters`).
public struct ResponseParameters: Codable, Sendable, Hashable {
    /// Flood control: seconds to wait before the request may be repeated.
    public var retryAfter: Int?
    /// The group became a supergroup with this identifier; send there instead.
    public var migrateToChatID: Int64?

    public init(retryAfter: Int? = nil, migrateToChatID: Int64? = nil) {
        self.retryAfter = retryAfter
        self.migrateToChatID = migrateToChatID
    }

    enum CodingKeys: String, CodingKey {
        case retryAfter = "retry_after"
        case migrateToChatID = "migrate_to_chat_id"
    }
}
