import Foundation

/// The conversation state and the queued messages write their own JSON (see `JSONTextEncodable`): both are stored
/// on every message a person sends. Keys in sorted order and nil properties left out, as the synthesized
/// `Codable` conformances do; dates in milliseconds, as `EventCoding.encoder` writes them.
extension ChatState: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            try writer.field(CodingKeys.consentedAt.rawValue, consentedAt.map(Self.milliseconds))
            try writer.field(CodingKeys.crisisNoticedAt.rawValue, crisisNoticedAt.map(Self.milliseconds))
            writer.field(CodingKeys.language.rawValue, language.rawValue)
            try writer.field(CodingKeys.pendingQuestion.rawValue, pendingQuestion)
            writer.field(CodingKeys.phase.rawValue, phase.rawValue)
            writer.field(CodingKeys.sessionID.rawValue, sessionID?.rawValue)
        }
    }

    private static func milliseconds(_ date: Date) -> Double { 1000.0 * date.timeIntervalSince1970 }
}

extension PendingQuestion: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.object { writer in
            writer.field(CodingKeys.isScale.rawValue, isScale)
            writer.field(CodingKeys.ordinal.rawValue, ordinal)
            writer.field(CodingKeys.questionID.rawValue, questionID.rawValue)
        }
    }
}

extension OutgoingMessage: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.object { writer in
            writer.key("buttons")
            writer.array(buttons) { writer, row in
                writer.array(row) { writer, button in
                    writer.object { writer in
                        writer.field("data", button.data)
                        writer.field("title", button.title)
                    }
                }
            }
            writer.field("text", text)
        }
    }
}
