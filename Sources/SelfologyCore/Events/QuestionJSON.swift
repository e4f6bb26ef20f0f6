/// The next question writes its own JSON (see `JSONTextEncodable`): one per answer. Keys in sorted order, as the
/// `Codable` conformances name them.
extension QuestionSelected: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.field(CodingKeys.isRepeat.rawValue, isRepeat)
            writer.field(CodingKeys.isScale.rawValue, isScale)
            writer.field(CodingKeys.ordinal.rawValue, ordinal)
            writer.field(CodingKeys.questionID.rawValue, questionID.rawValue)
            writer.field(CodingKeys.sessionID.rawValue, sessionID.rawValue)
            writer.field(CodingKeys.strategy.rawValue, strategy.rawValue)
            writer.field(CodingKeys.targetAnswers.rawValue, targetAnswers)
            try writer.field(CodingKeys.text.rawValue, text)
        }
    }
}

extension LocalizedText: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.object { writer in
            writer.field("en", en)
            writer.field("ru", ru)
        }
    }
}
