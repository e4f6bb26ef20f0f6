/// An answer's two analyses and its trait evidence write their own JSON (see `JSONTextEncodable`); keys in sorted
/// order, as the `Codable` conformances name them.
extension AnswerAnalyzedInstant: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writeAnalysisEvent(analysis, language, questionID, sessionID, to: &writer)
    }
}

extension InstantAnalysis: JSONTextEncodable {
    /// Every property, nulls included, as `encode(to:)` writes them.
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.key(CodingKeys.emotion.rawValue)
            writer.stringOrNull(emotion?.rawValue)
            writer.field(CodingKeys.insight.rawValue, insight)
            try writer.field(CodingKeys.quality.rawValue, quality)
            writer.field(CodingKeys.saidTired.rawValue, saidTired)
            try writer.field(CodingKeys.valence.rawValue, valence)
            writer.field(CodingKeys.wordCount.rawValue, wordCount)
        }
    }
}

extension AnswerAnalyzedDeep: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writeAnalysisEvent(analysis, language, questionID, sessionID, to: &writer)
    }
}

/// Both analysis events have the same keys: the analysis beside the answer's language and ids.
private func writeAnalysisEvent(
    _ analysis: some JSONTextEncodable, _ language: Language, _ questionID: QuestionID, _ sessionID: SessionID,
    to writer: inout JSONTextWriter
) throws {
    try writer.object { writer in
        try writer.field("analysis", analysis)
        writer.field("language", language.rawValue)
        writer.field("question_id", questionID.rawValue)
        writer.field("session_id", sessionID.rawValue)
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
            writer.field(CodingKeys.questionID.rawValue, questionID.rawValue)
            writer.field(CodingKeys.sessionID.rawValue, sessionID.rawValue)
        }
    }
}

extension TraitEvidence: JSONTextEncodable {
    /// Every property, nulls included, as `encode(to:)` writes them.
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            try writer.field(CodingKeys.confidence.rawValue, confidence)
            writer.key(CodingKeys.label.rawValue)
            writer.stringOrNull(label)
            writer.key(CodingKeys.reference.rawValue)
            writer.stringOrNull(reference)
            writer.field(CodingKeys.source.rawValue, source.rawValue)
            try writer.field(CodingKeys.trait.rawValue, trait)
            try writer.field(CodingKeys.value.rawValue, value)
        }
    }
}

extension TraitKey: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.object { writer in
            writer.field("category", category.rawValue)
            writer.field("name", name)
        }
    }
}
