import Foundation

/// Commands the bot understands, in every front end.
public enum ChatCommand: Sendable, Equatable {
    case start, help, profile, pause, resume, skip, end
    case language(Language?)
    /// Delete everything stored about the person, after they confirm.
    case forget
    /// A copy of everything stored about the person, as a file.
    case myData
    case unknown(String)

    /// The commands shown in /help and registered with Telegram, in display order.
    public static let listed: [String] = [
        "start", "help", "profile", "pause", "resume", "skip", "end", "language", "mydata", "forget",
    ]
}

/// What a tired person may choose when a break is offered.
public enum BreakChoice: String, Sendable, CaseIterable {
    case pause, finish
    case goOn = "continue"
}

/// A button press: consent, a point of the 1-5 scale tied to the question it was shown with, a break choice, or
/// the answer to /forget's question (delete everything, or keep it).
public enum ButtonAction: Sendable, Equatable {
    case consent(Bool)
    case scale(questionID: QuestionID, value: Int)
    case breakChoice(BreakChoice)
    case erasure(Bool)

    /// Compact callback data (Telegram allows 64 bytes).
    public var callbackData: String {
        switch self {
        case .consent(let accepted): accepted ? "consent:yes" : "consent:no"
        case .scale(let questionID, let value): "scale:\(value):\(questionID.rawValue)"
        case .breakChoice(let choice): "break:\(choice.rawValue)"
        case .erasure(let confirmed): confirmed ? "forget:yes" : "forget:no"
        }
    }

    /// Parses callback data; nil for anything malformed or forged.
    public init?(callbackData: String) {
        let parts = callbackData.split(separator: ":", maxSplits: 2).map(String.init)
        switch parts.first {
        case "consent" where parts.count == 2 && (parts[1] == "yes" || parts[1] == "no"):
            self = .consent(parts[1] == "yes")
        case "forget" where parts.count == 2 && (parts[1] == "yes" || parts[1] == "no"):
            self = .erasure(parts[1] == "yes")
        case "break" where parts.count == 2:
            guard let choice = BreakChoice(rawValue: parts[1]) else { return nil }
            self = .breakChoice(choice)
        case "scale" where parts.count == 3:
            guard let value = Int(parts[1]), (1...5).contains(value), !parts[2].isEmpty else { return nil }
            self = .scale(questionID: QuestionID(parts[2]), value: value)
        default:
            return nil
        }
    }
}

/// One thing the person did.
public enum ChatInput: Sendable, Equatable {
    case command(ChatCommand)
    case text(String)
    case button(ButtonAction)
    /// A sticker, photo, voice message or file: nothing the bot can read.
    case notText

    /// Reads a typed line: "/name args" is a command (a Telegram-style "@botname" suffix is ignored),
    /// anything else is text.
    public static func parse(_ line: String) -> ChatInput {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("/") else { return .text(line) }
        let parts = trimmed.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let name = (parts.first ?? "").split(separator: "@").first.map { String($0).lowercased() } ?? ""
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces).lowercased() : nil
        switch name {
        case "start": return .command(.start)
        case "help": return .command(.help)
        case "profile": return .command(.profile)
        case "pause": return .command(.pause)
        case "resume": return .command(.resume)
        case "skip": return .command(.skip)
        case "end": return .command(.end)
        case "language", "lang": return .command(.language(argument.flatMap(Language.init(rawValue:))))
        case "forget", "delete": return .command(.forget)
        case "mydata", "export": return .command(.myData)
        default: return .command(.unknown(name))
        }
    }
}

/// A message for the person: text and optional rows of buttons, or a file with the text as its caption.
public struct OutgoingMessage: Codable, Sendable, Equatable {
    public struct Button: Codable, Sendable, Equatable {
        public let title: String
        public let data: String

        public init(title: String, action: ButtonAction) {
            self.title = title
            data = action.callbackData
        }
    }

    /// A file sent with the message: the copy of a person's data after /mydata.
    public struct Document: Codable, Sendable, Equatable {
        public let fileName: String
        public let contents: String

        public init(fileName: String, contents: String) {
            self.fileName = fileName
            self.contents = contents
        }
    }

    public let text: String
    public let buttons: [[Button]]
    public let document: Document?

    public init(_ text: String, buttons: [[Button]] = [], document: Document? = nil) {
        self.text = text
        self.buttons = buttons
        self.document = document
    }
}
