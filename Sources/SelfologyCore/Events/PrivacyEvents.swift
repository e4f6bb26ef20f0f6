/// The person confirmed /forget: every service deletes what it keeps about them. It carries nothing but the
/// envelope's person and trace: from now on each consumer group drops events about this person whose trace began
/// before this one (work still in flight from before), while a fresh /start after it is a new beginning.
public struct UserErasureRequested: EventPayload, Equatable {
    public static let eventType = EventType.userErasureRequested

    public init() {}
}

/// The person asked for a copy of their data (/mydata): every service that keeps something about people answers
/// with `UserDataCollected`, and the gateway sends the parts together as one file.
public struct UserDataRequested: EventPayload, Equatable {
    public static let eventType = EventType.userDataRequested

    public init() {}
}

/// One consumer group's part of a person's copy: every row it keeps about them, table by table, as JSON. Its trace
/// is the request's, which is how the gateway puts the parts of one request together.
public struct UserDataCollected: EventPayload, Equatable {
    public static let eventType = EventType.userDataCollected

    public struct Table: Codable, Sendable, Equatable {
        public let name: String
        public let rows: [JSONValue]

        public init(name: String, rows: [JSONValue]) {
            self.name = name
            self.rows = rows
        }
    }

    public let group: ConsumerGroup
    public let tables: [Table]

    public init(group: ConsumerGroup, tables: [Table]) {
        self.group = group
        self.tables = tables
    }
}
