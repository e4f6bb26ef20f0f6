import Foundation
import SelfologyCore

/// Our analysis schemas as models are given them, and model answers as our analysis types.
enum ModelSchema {
    /// Keywords strict structured-output modes refuse or ignore (OpenAI's strict mode rejects string lengths and
    /// document metadata). The full schema is still enforced on the answer by our validator.
    static let unsupportedByModels: Set<String> = ["$schema", "$id", "title", "minLength", "maxLength"]

    static func strict(_ schema: JSONValue) -> JSONValue {
        switch schema {
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            for (key, value) in members where !unsupportedByModels.contains(key) {
                // Under `properties` the keys are field names, not keywords: keep every one.
                kept[key] = key == "properties" ? properties(value) : strict(value)
            }
            return .object(kept)
        case .array(let items):
            return .array(items.map(strict))
        default:
            return schema
        }
    }

    private static func properties(_ value: JSONValue) -> JSONValue {
        guard case .object(let fields) = value else { return value }
        return .object(fields.mapValues(strict))
    }

    /// A deep analysis from a model: schema-valid, every trait known, and marked as the model's evidence
    /// whatever source it claimed (only local scoring of scale items may say `scale_item`).
    static func deepAnalysis(from text: String, schema: JSONSchemaValidator) throws -> DeepAnalysis {
        let analysis = try ModelOutput.decode(DeepAnalysis.self, from: text, schema: schema)
        let problems = analysis.semanticProblems
        guard problems.isEmpty else { throw ModelOutput.Rejection.undecodable(problems.joined(separator: "; ")) }
        return DeepAnalysis(
            evidence: analysis.evidence.map {
                TraitEvidence(
                    trait: $0.trait, value: $0.value, label: $0.label, confidence: min($0.confidence, 0.8),
                    source: .model, reference: $0.reference)
            },
            patterns: analysis.patterns, insights: analysis.insights)
    }
}
