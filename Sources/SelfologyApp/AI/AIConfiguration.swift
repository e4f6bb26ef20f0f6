import Foundation
import SelfologyAI

/// Which remote models serve which tier, and the money rules, from the environment. With none of it set,
/// Selfology runs on the local tier alone, offline.
public struct AIConfiguration: Sendable {
    public struct Provider: Sendable, Equatable {
        public var baseURL: String
        /// Never logged or printed.
        public var apiKey: String?
    }

    public var openAI: Provider?
    public var anthropic: Provider?
    /// An OpenAI-compatible server (vLLM, llama.cpp server, Ollama): provider name `compatible`.
    public var compatible: Provider?
    /// How the compatible server is asked for JSON (`SELFOLOGY_AI_COMPATIBLE_OUTPUT`: `json_schema`, the default,
    /// `json_object` or `prompt`).
    public var compatibleOutput = OpenAIConfiguration.StructuredOutputMode.jsonSchema
    public var tiers: [ModelTier: ModelID] = [:]
    /// nil: the local hashed embedding.
    public var embedding: ModelID?
    public var prices = PriceTable.defaults
    public var router = RouterSettings()
    public var qdrant: Provider?
    public var qdrantCollection = "user_profiles_512d"

    public init() {}

    public var usesRemoteModels: Bool { !tiers.isEmpty || embedding != nil }

    /// The variables are listed in the README's "Using real models".
    public static func fromEnvironment(_ environment: [String: String]) throws -> AIConfiguration {
        var configuration = AIConfiguration()
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                return nil
            }
            return value
        }
        if let key = value("OPENAI_API_KEY") {
            configuration.openAI = Provider(
                baseURL: value("OPENAI_BASE_URL") ?? "https://api.openai.com/v1", apiKey: key)
            configuration.tiers[.standard] = ModelID(provider: "openai", name: "gpt-4o")
            configuration.tiers[.simple] = ModelID(provider: "openai", name: "gpt-4o-mini")
            configuration.embedding = ModelID(provider: "openai", name: "text-embedding-3-small")
        }
        if let key = value("ANTHROPIC_API_KEY") {
            configuration.anthropic = Provider(
                baseURL: value("ANTHROPIC_BASE_URL") ?? "https://api.anthropic.com", apiKey: key)
            configuration.tiers[.premium] = ModelID(provider: "anthropic", name: "claude-sonnet-4-20250514")
        }
        if let url = value("SELFOLOGY_AI_COMPATIBLE_URL") {
            configuration.compatible = Provider(baseURL: url, apiKey: value("SELFOLOGY_AI_COMPATIBLE_KEY"))
            switch value("SELFOLOGY_AI_COMPATIBLE_OUTPUT") ?? "json_schema" {
            case "json_schema": configuration.compatibleOutput = .jsonSchema
            case "json_object": configuration.compatibleOutput = .jsonObject
            case "prompt": configuration.compatibleOutput = .none
            default:
                throw AIConfigurationError.invalid(
                    "SELFOLOGY_AI_COMPATIBLE_OUTPUT", "expected json_schema, json_object or prompt")
            }
            if let model = value("SELFOLOGY_AI_COMPATIBLE_MODEL") {
                // A self-hosted server with one model serves every tier unless a tier says otherwise.
                for tier in ModelTier.allCases where configuration.tiers[tier] == nil {
                    configuration.tiers[tier] = ModelID(provider: "compatible", name: model)
                }
            }
        }
        for tier in ModelTier.allCases {
            let name = "SELFOLOGY_AI_\(tier.rawValue.uppercased())"
            guard let spec = value(name) else { continue }
            configuration.tiers[tier] = spec == "none" ? nil : try configuration.model(spec, variable: name)
        }
        if let spec = value("SELFOLOGY_AI_EMBEDDING") {
            configuration.embedding =
                spec == "local" ? nil : try configuration.model(spec, variable: "SELFOLOGY_AI_EMBEDDING")
        }
        if let prices = value("SELFOLOGY_AI_PRICES") {
            do { configuration.prices = try PriceTable.parse(prices) } catch {
                throw AIConfigurationError.invalid("SELFOLOGY_AI_PRICES", "\(error)")
            }
        }
        if let dollars = value("SELFOLOGY_AI_USER_DAILY_USD") {
            configuration.router.userDailyBudgetMicros = try micros(dollars, "SELFOLOGY_AI_USER_DAILY_USD")
        }
        if let dollars = value("SELFOLOGY_AI_TOTAL_DAILY_USD") {
            configuration.router.totalDailyBudgetMicros = try micros(dollars, "SELFOLOGY_AI_TOTAL_DAILY_USD")
        }
        if let share = value("SELFOLOGY_AI_PREMIUM_SHARE") {
            guard let number = Double(share), (0...1).contains(number) else {
                throw AIConfigurationError.invalid("SELFOLOGY_AI_PREMIUM_SHARE", "expected a fraction from 0 to 1")
            }
            configuration.router.tiers.premiumShare = number
        }
        if let milliseconds = value("SELFOLOGY_AI_INSTANT_BUDGET_MS") {
            guard let number = Int(milliseconds), number > 0 else {
                throw AIConfigurationError.invalid("SELFOLOGY_AI_INSTANT_BUDGET_MS", "expected milliseconds")
            }
            configuration.router.instantBudget = .milliseconds(number)
        }
        if let url = value("QDRANT_URL") {
            configuration.qdrant = Provider(baseURL: url, apiKey: value("QDRANT_API_KEY"))
        }
        if let collection = value("SELFOLOGY_QDRANT_COLLECTION") { configuration.qdrantCollection = collection }
        return configuration
    }

    /// `provider:model`, for a provider whose connection is configured.
    func model(_ spec: String, variable: String) throws -> ModelID {
        guard let id = ModelID(spec) else {
            throw AIConfigurationError.invalid(variable, "expected provider:model, for example openai:gpt-4o")
        }
        let configured: Bool
        switch id.provider {
        case "openai": configured = openAI != nil
        case "anthropic": configured = anthropic != nil
        case "compatible": configured = compatible != nil
        default:
            throw AIConfigurationError.invalid(
                variable, "unknown provider '\(id.provider)' (openai, anthropic, compatible)")
        }
        guard configured else {
            throw AIConfigurationError.invalid(variable, "provider '\(id.provider)' has no key or URL set")
        }
        return id
    }

    static func micros(_ dollars: String, _ name: String) throws -> Int64 {
        guard let number = Double(dollars), number >= 0 else {
            throw AIConfigurationError.invalid(name, "expected US dollars, for example 0.50")
        }
        return Int64((number * 1_000_000).rounded())
    }
}

public enum AIConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalid(String, String)

    public var description: String {
        switch self {
        case .invalid(let variable, let reason): "\(variable) is not valid: \(reason)"
        }
    }
}
