/// The next question writes its own JSON (see `JSONTextEncodable`): one per answer. Keys in sorted order, as the
/// `Codable` conformances name them.
extension QuestionSelected: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.key(CodingKeys.isRepeat.rawValue)
            writer.bool(isRepeat)
            writer.key(CodingKeys.isScale.rawValue)
            writer.bool(isScale)
            writer.key(CodingKeys.ordinal.rawValue)
            writer.number(ordinal)
            writer.key(CodingKeys.questionID.rawValue)
            writer.string(questionID.rawValue)
            writer.key(CodingKeys.sessionID.rawValue)
            writer.string(sessionID.rawValue)
            writer.key(CodingKeys.strategy.rawValue)
            writer.string(strategy.rawValue)
            writer.key(CodingKeys.targetAnswers.rawValue)
            writer.number(targetAnswers)
            writer.key(CodingKeys.text.rawValue)
            try writer.value(text)
        }
    }
}

extension LocalizedText: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.object { writer in
            writer.key("en")
            writer.string(en)
            writer.key("ru")
            writer.string(ru)
        }
    }
}
