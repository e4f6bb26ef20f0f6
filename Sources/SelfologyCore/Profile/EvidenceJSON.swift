/// An answer's trait evidence and deep analysis write their own JSON (see `JSONTextEncodable`); keys in sorted
/// order, as the `Codable` conformances name them.
extension AnswerAnalyzedDeep: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.key(CodingKeys.analysis.rawValue)
            try writer.value(analysis)
            writer.key(CodingKeys.language.rawValue)
            writer.string(language.rawValue)
            writer.key(CodingKeys.questionID.rawValue)
            writer.string(questionID.rawValue)
            writer.key(CodingKeys.sessionID.rawValue)
            writer.string(sessionID.rawValue)
        }
    }
}

extension DeepAnalysis: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.key("evidence")
            try writer.array(evidence) { try $0.value($1) }
            writer.key("insights")
            writer.array(insights) { $0.string($1) }
            writer.key("patterns")
            writer.array(patterns) { $0.string($1) }
        }
    }
}

extension TraitExtracted: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.key(CodingKeys.evidence.rawValue)
            try writer.array(evidence) { try $0.value($1) }
            writer.key(CodingKeys.questionID.rawValue)
            writer.string(questionID.rawValue)
            writer.key(CodingKeys.sessionID.rawValue)
            writer.string(sessionID.rawValue)
        }
    }
}

extension TraitEvidence: JSONTextEncodable {
    /// Every property, nulls included, as `encode(to:)` writes them.
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.key(CodingKeys.confidence.rawValue)
            try writer.number(confidence)
            writer.key(CodingKeys.label.rawValue)
            writer.stringOrNull(label)
            writer.key(CodingKeys.reference.rawValue)
            writer.stringOrNull(reference)
            writer.key(CodingKeys.source.rawValue)
            writer.string(source.rawValue)
            writer.key(CodingKeys.trait.rawValue)
            try writer.value(trait)
            writer.key(CodingKeys.value.rawValue)
            try writer.number(value)
        }
    }
}

extension TraitKey: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.object { writer in
            writer.key("category")
            writer.string(category.rawValue)
            writer.key("name")
            writer.string(name)
        }
    }
}
