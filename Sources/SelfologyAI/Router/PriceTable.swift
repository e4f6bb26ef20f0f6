import Foundation

/// US dollars per million tokens, per model name; what turns token usage into cost. Unknown models (a local
/// OpenAI-compatible server) cost nothing.
public struct PriceTable: Sendable, Equatable {
    public struct Price: Sendable, Equatable {
        public let inputPerMillion: Double
        public let outputPerMillion: Double

        public init(inputPerMillion: Double, outputPerMillion: Double) {
            self.inputPerMillion = inputPerMillion
            self.outputPerMillion = outputPerMillion
        }
    }

    public var prices: [String: Price]

    public init(prices: [String: Price]) { self.prices = prices }

    /// List prices when this was written (November 2026); override with `SELFOLOGY_AI_PRICES`.
    public static let defaults = PriceTable(prices: [
        "gpt-4o": Price(inputPerMillion: 2.50, outputPerMillion: 10.00),
        "gpt-4o-mini": Price(inputPerMillion: 0.15, outputPerMillion: 0.60),
        "claude-sonnet-4-20250514": Price(inputPerMillion: 3.00, outputPerMillion: 15.00),
        "claude-sonnet-4-5": Price(inputPerMillion: 3.00, outputPerMillion: 15.00),
        "text-embedding-3-small": Price(inputPerMillion: 0.02, outputPerMillion: 0),
        "text-embedding-3-large": Price(inputPerMillion: 0.13, outputPerMillion: 0),
    ])

    /// Millionths of a dollar, rounded up so many tiny calls never add up to nothing.
    public func costMicros(model: String, usage: TokenUsage) -> Int64 {
        guard let price = prices[model] else { return 0 }
        // Dollars per million tokens are exactly micro-dollars per token.
        let micros =
            Double(usage.inputTokens) * price.inputPerMillion + Double(usage.outputTokens) * price.outputPerMillion
        return Int64(micros.rounded(.up))
    }

    /// Parses `model=input/output,model=input/output` (dollars per million tokens) over the defaults.
    public static func parse(_ text: String, over base: PriceTable = .defaults) throws -> PriceTable {
        var table = base
        for entry in text.split(separator: ",") where !entry.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1)
            let amounts = parts.count == 2 ? parts[1].split(separator: "/") : []
            guard parts.count == 2, amounts.count == 2,
                let input = Double(amounts[0].trimmingCharacters(in: .whitespaces)),
                let output = Double(amounts[1].trimmingCharacters(in: .whitespaces)), input >= 0, output >= 0
            else { throw PriceTableError.malformed(String(entry)) }
            table.prices[parts[0].trimmingCharacters(in: .whitespaces)] = Price(
                inputPerMillion: input, outputPerMillion: output)
        }
        return table
    }
}

public enum PriceTableError: Error, Equatable, CustomStringConvertible {
    case malformed(String)

    public var description: String {
        switch self {
        case .malformed(let entry): "price entry '\(entry)' is not model=input/output in dollars per million tokens"
        }
    }
}
