/// An entry of the bot's command menu, as the Bot API's `BotCommand`: `command` is 1-32 characters of lowercase
/// letters, digits and underscores, without the slash.
public struct BotCommand: Codable, Sendable, Hashable {
    public var command: String
    public var description: String

    public init(command: String, description: String) {
        self.command = command
        self.description = description
    }
}
