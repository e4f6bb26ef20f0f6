import Foundation
import SelfologyServices

/// `selfology stats`: what the models did and cost per day: answers per tier and their share, failed calls,
/// fallbacks to the local tier, tokens, cost, and the day's spend against the overall budget.
public enum UsageReport {
    public static func render(_ rows: [UsageStore.Row], totalDailyBudgetMicros: Int64) -> String {
        guard !rows.isEmpty else { return "no model usage recorded (the local tier alone is not counted)" }
        var lines: [String] = []
        for day in Set(rows.map(\.day)).sorted() {
            let today = rows.filter { $0.day == day }
            let cost = today.reduce(0) { $0 + $1.costMicros }
            let answered = today.reduce(0) { $0 + ($1.calls - $1.failures) }
            lines.append(
                "\(day): \(dollars(cost)) of \(dollars(totalDailyBudgetMicros)) daily budget, "
                    + "\(answered) answers, \(today.reduce(0) { $0 + $1.failures }) failed calls")
            var tiers: [String: Int64] = [:]
            for row in today { tiers[row.tier, default: 0] += row.calls - row.failures }
            let shares = ["premium", "standard", "simple", "embedding", "local"].compactMap { tier in
                tiers[tier].map { "\(tier) \(percent($0, of: answered))" }
            }
            lines.append("  answers by tier: " + shares.joined(separator: ", "))
            for row in today {
                lines.append(
                    "  \(row.task) \(row.tier) \(row.model): \(row.calls) calls, \(row.failures) failed, "
                        + "\(row.inputTokens) in / \(row.outputTokens) out tokens, \(dollars(row.costMicros)), "
                        + "\(row.people) people")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func dollars(_ micros: Int64) -> String { String(format: "$%.4f", Double(micros) / 1_000_000) }

    static func percent(_ part: Int64, of whole: Int64) -> String {
        whole > 0 ? String(format: "%.1f%%", Double(part) * 100 / Double(whole)) : "-"
    }
}
