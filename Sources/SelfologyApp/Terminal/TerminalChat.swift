import Foundation
import SelfologyCore
import SelfologyServices

/// The terminal front end: feeds typed lines to the gateway as one person.
public enum TerminalChat {
    /// A person chosen with `--user`: terminal people have their own id space.
    public static func userID(forName name: String) -> UserID { UserID("terminal:\(name)") }

    /// The name `userID(forName:)` was made from.
    static func name(of user: UserID) -> String {
        user.rawValue.hasPrefix("terminal:") ? String(user.rawValue.dropFirst("terminal:".count)) : user.rawValue
    }

    /// - Parameter afterEachLine: awaited after each line; scripted runs use it to let the bot's replies
    ///   arrive before the next line is read, as a person would.
    public static func run(
        lines: some AsyncSequence<String, Never>, user: UserID, gateway: Gateway, language: Language?,
        afterEachLine: @Sendable () async throws -> Void = {}
    ) async throws {
        for await line in lines {
            try await gateway.receive(ChatInput.parse(line), from: user, languageHint: language)
            try await afterEachLine()
        }
    }

    /// Lines typed on standard input, read on a thread of their own so a blocking read never stalls the
    /// concurrency pool. The sequence ends at end of input (Ctrl-D).
    public static func standardInputLines() -> AsyncStream<String> {
        AsyncStream { continuation in
            let thread = Thread {
                while let line = readLine(strippingNewline: true) { continuation.yield(line) }
                continuation.finish()
            }
            thread.start()
        }
    }
}
