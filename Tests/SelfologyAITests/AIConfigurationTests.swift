import SelfologyApp
import Testing

@testable import SelfologyAI
@testable import SelfologyServices

/// What an operator's environment turns into, and the report `selfology stats` prints.
@Suite("AI configuration and usage report")
struct AIConfigurationTests {
    @Test("no variables: the local tier alone")
    func nothingSetIsOffline() throws {
        let configuration = try AIConfiguration.fromEnvironment([:])
        #expect(!configuration.usesRemoteModels && configuration.qdrant == nil)
    }

    @Test("keys fill the seed's tiers; a tier can be switched off or pointed elsewhere")
    func keysAndTiers() throws {
        let configuration = try AIConfiguration.fromEnvironment([
            "OPENAI_API_KEY": "sk-1", "ANTHROPIC_API_KEY": "sk-ant-1", "SELFOLOGY_AI_SIMPLE": "none",
            "SELFOLOGY_AI_USER_DAILY_USD": "0.25", "SELFOLOGY_AI_PRICES": "gpt-4o=1/2",
        ])
        #expect(configuration.tiers[.premium] == ModelID("anthropic:claude-sonnet-4-20250514"))
        #expect(configuration.tiers[.standard] == ModelID("openai:gpt-4o"))
        #expect(configuration.tiers[.simple] == nil)
        #expect(configuration.embedding == ModelID("openai:text-embedding-3-small"))
        #expect(configuration.router.userDailyBudgetMicros == 250_000)
        #expect(configuration.prices.prices["gpt-4o"] == PriceTable.Price(inputPerMillion: 1, outputPerMillion: 2))
    }

    @Test("a self-hosted server serves every tier; its JSON mode is read")
    func compatibleServer() throws {
        let configuration = try AIConfiguration.fromEnvironment([
            "SELFOLOGY_AI_COMPATIBLE_URL": "http://localhost:11434/v1", "SELFOLOGY_AI_COMPATIBLE_MODEL": "llama3.1:8b",
            "SELFOLOGY_AI_COMPATIBLE_OUTPUT": "json_object",
        ])
        #expect(Set(configuration.tiers.values) == [ModelID("compatible:llama3.1:8b")])
        #expect(configuration.compatibleOutput == .jsonObject)
        #expect(configuration.compatible?.apiKey == nil)
    }

    @Test("mistakes are refused with the variable named, never with a key in the message")
    func mistakes() {
        let cases: [([String: String], String)] = [
            (["SELFOLOGY_AI_STANDARD": "openai:gpt-4o"], "SELFOLOGY_AI_STANDARD"),
            (["OPENAI_API_KEY": "sk-secret", "SELFOLOGY_AI_SIMPLE": "mistral:small"], "SELFOLOGY_AI_SIMPLE"),
            (["OPENAI_API_KEY": "sk-secret", "SELFOLOGY_AI_SIMPLE": "gpt-4o"], "SELFOLOGY_AI_SIMPLE"),
            (["SELFOLOGY_AI_PREMIUM_SHARE": "1.5"], "SELFOLOGY_AI_PREMIUM_SHARE"),
            (["SELFOLOGY_AI_TOTAL_DAILY_USD": "lots"], "SELFOLOGY_AI_TOTAL_DAILY_USD"),
            (
                ["SELFOLOGY_AI_COMPATIBLE_URL": "http://x", "SELFOLOGY_AI_COMPATIBLE_OUTPUT": "xml"],
                "SELFOLOGY_AI_COMPATIBLE_OUTPUT"
            ),
        ]
        for (environment, variable) in cases {
            do {
                _ = try AIConfiguration.fromEnvironment(environment)
                Issue.record("\(variable) was accepted")
            } catch {
                let message = "\(error)"
                #expect(message.contains(variable) && !message.contains("sk-secret"))
            }
        }
    }

    @Test("stats: answers by tier and their shares, failures, cost against the budget")
    func usageReport() {
        func row(_ tier: String, _ model: String, calls: Int64, failures: Int64, cost: Int64) -> UsageStore.Row {
            UsageStore.Row(
                day: "2026-11-25", task: "deep_analysis", tier: tier, model: model, calls: calls, failures: failures,
                inputTokens: 100 * calls, outputTokens: 10 * calls, costMicros: cost, people: 2)
        }
        let report = UsageReport.render(
            [
                row("premium", "anthropic:claude-sonnet-4-20250514", calls: 3, failures: 2, cost: 9_000),
                row("standard", "openai:gpt-4o", calls: 8, failures: 0, cost: 6_000),
                row("local", "local:lexicon-v1", calls: 1, failures: 0, cost: 0),
            ], totalDailyBudgetMicros: 50_000_000)
        #expect(report.contains("2026-11-25: $0.0150 of $50.0000 daily budget, 10 answers, 2 failed calls"))
        #expect(report.contains("answers by tier: premium 10.0%, standard 80.0%, local 10.0%"))
        #expect(UsageReport.render([], totalDailyBudgetMicros: 1).hasPrefix("no model usage"))
    }
}
