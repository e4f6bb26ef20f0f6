import Foundation

/// The profile, its update event and its vector event write their own JSON (see `JSONTextEncodable`); keys in
/// sorted order, as the `Codable` conformances name them.
extension PersonalityProfile: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.key(CodingKeys.adaptiveTraits.rawValue)
            try writer.dictionary(adaptiveTraits) { try $0.value($1) }
            writer.field(CodingKeys.answersAnalyzed.rawValue, answersAnalyzed)
            writer.key(CodingKeys.bigFive.rawValue)
            try writer.dictionary(bigFive) { try $0.value($1) }
            writer.key(CodingKeys.coreDynamics.rawValue)
            try writer.dictionary(coreDynamics) { try $0.value($1) }
            writer.key(CodingKeys.domainAffinities.rawValue)
            try writer.dictionary(domainAffinities) { try $0.value($1) }
            try writer.field(CodingKeys.signature.rawValue, signature)
        }
    }
}

extension TraitScore: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.field(CodingKeys.label.rawValue, label)
            writer.key(CodingKeys.labelWeights.rawValue)
            try writer.dictionary(labelWeights) { try $0.number($1) }
            writer.key(CodingKeys.sources.rawValue)
            try writer.dictionary(Dictionary(uniqueKeysWithValues: sources.map { ($0.key.rawValue, $0.value) })) {
                try $0.value($1)
            }
            try writer.field(CodingKeys.value.rawValue, value)
            try writer.field(CodingKeys.weight.rawValue, weight)
        }
    }
}

extension SourceTally: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.field(CodingKeys.count.rawValue, count)
            try writer.field(CodingKeys.weight.rawValue, weight)
            try writer.field(CodingKeys.weightedSum.rawValue, weightedSum)
        }
    }
}

extension UniqueSignature: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.object { writer in
            writer.field(CodingKeys.decisionPattern.rawValue, decisionPattern)
            writer.field(CodingKeys.energyRhythm.rawValue, energyRhythm)
            writer.field(CodingKeys.thinkingStyle.rawValue, thinkingStyle)
        }
    }
}

extension ProfileUpdated: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.key("changes")
            try writer.array(changes) { try $0.value($1) }
            try writer.field("profile", profile)
            writer.field("trigger", trigger.rawValue)
            writer.field("version", version)
        }
    }
}

extension TraitChange: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            try writer.field(CodingKeys.confidence.rawValue, confidence)
            try writer.field(CodingKeys.newValue.rawValue, newValue)
            try writer.field(CodingKeys.oldValue.rawValue, oldValue)
            try writer.field(CodingKeys.trait.rawValue, trait)
        }
    }
}

extension ProfileVectorUpdated: JSONTextEncodable {
    /// The vector as base64 of its little-endian floats, as `encode(to:)` writes it.
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.object { writer in
            writer.field(CodingKeys.model.rawValue, model)
            writer.field(CodingKeys.summary.rawValue, summary)
            writer.field(CodingKeys.vector.rawValue, VectorBytes.encode(vector).base64EncodedString())
        }
    }
}
