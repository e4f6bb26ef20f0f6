/// The profile and its update event write their own JSON (see `JSONTextEncodable`); keys in sorted order, as
/// the synthesized `Codable` conformances name them.
extension PersonalityProfile: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.key(CodingKeys.adaptiveTraits.rawValue)
            try writer.dictionary(adaptiveTraits) { try $0.value($1) }
            writer.key(CodingKeys.answersAnalyzed.rawValue)
            writer.number(answersAnalyzed)
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
            writer.key(CodingKeys.value.rawValue)
            try writer.number(value)
            writer.key(CodingKeys.weight.rawValue)
            try writer.number(weight)
        }
    }
}

extension SourceTally: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.key(CodingKeys.count.rawValue)
            writer.number(count)
            writer.key(CodingKeys.weight.rawValue)
            try writer.number(weight)
            writer.key(CodingKeys.weightedSum.rawValue)
            try writer.number(weightedSum)
        }
    }
}

extension UniqueSignature: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.object { writer in
            writer.key(CodingKeys.decisionPattern.rawValue)
            writer.string(decisionPattern)
            writer.key(CodingKeys.energyRhythm.rawValue)
            writer.string(energyRhythm)
            writer.key(CodingKeys.thinkingStyle.rawValue)
            writer.string(thinkingStyle)
        }
    }
}

extension ProfileUpdated: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.key("changes")
            try writer.array(changes) { try $0.value($1) }
            writer.key("profile")
            try writer.value(profile)
            writer.key("trigger")
            writer.string(trigger.rawValue)
            writer.key("version")
            writer.number(version)
        }
    }
}

extension TraitChange: JSONTextEncodable {
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        try writer.object { writer in
            writer.key(CodingKeys.confidence.rawValue)
            try writer.number(confidence)
            writer.key(CodingKeys.newValue.rawValue)
            try writer.number(newValue)
            try writer.field(CodingKeys.oldValue.rawValue, oldValue)
            writer.key(CodingKeys.trait.rawValue)
            try writer.value(trait)
        }
    }
}
