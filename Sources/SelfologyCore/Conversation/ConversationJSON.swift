import Foundation

/// The conversation state and the queued messages write their own JSON (see `JSONTextEncodable`): both are stored
/// on every message a person sends. Keys in sorted order and nil properties left out, as the synthesized
/// `Codable` conformances do; dates in milliseconds, as `EventCoding.encoder` writes them.
extension ChatState: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            try writer.field(CodingKeys.consentedAt.rawValue, consentedAt.map(Self.milliseconds))
            try writer.field(CodingKeys.crisisNoticedAt.rawValue, crisisNoticedAt.map(Self.milliseconds))
            writer.field(CodingKeys.crisisTrace.rawValue, crisisTrace)
            try writer.field(CodingKeys.erasureOfferedAt.rawValue, erasureOfferedAt.map(Self.milliseconds))
            writer.field(CodingKeys.language.rawValue, language.rawValue)
            try writer.field(CodingKeys.pendingQuestion.rawValue, pendingQuestion)
            writer.field(CodingKeys.phase.rawValue, phase.rawValue)
            writer.field(CodingKeys.sessionID.rawValue, sessionID?.rawValue)
        }
    }

    private static func milliseconds(_ date: Date) -> Double { 1000.0 * date.timeIntervalSince1970 }

    /// This state as decoding its JSON gives it back: each date through the milliseconds it is written as,
    /// divided again as `EventCoding.decoder` divides them. A memo of decoded states can hand this out for the
    /// text it was written as, equal to what a fresh decode would give.
    public var asDecoded: ChatState {
        var state = self
        state.consentedAt = consentedAt.map(Self.throughMilliseconds)
        state.crisisNoticedAt = crisisNoticedAt.map(Self.throughMilliseconds)
        state.erasureOfferedAt = erasureOfferedAt.map(Self.throughMilliseconds)
        return state
    }

    private static func throughMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: milliseconds(date) / 1000.0)
    }
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
        try writer.object { writer in
            writer.key("buttons")
            writer.array(buttons) { writer, row in
                writer.array(row) { writer, button in
                    writer.object { writer in
                        writer.field("data", button.data)
                        writer.field("title", button.title)
                    }
                }
            }
            try writer.field("document", document)
            writer.field("text", text)
        }
    }
}

extension OutgoingMessage.Document: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.object { writer in
            writer.field("contents", contents)
            writer.field("fileName", fileName)
        }
    }
}
