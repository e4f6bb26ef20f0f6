public enum EvolutionPattern: String, Codable, Sendable, CaseIterable {
    case increasing, decreasing, stable, oscillating
}

public struct TraitPatternSummary: Codable, Sendable, Equatable {
    public let trait: TraitKey
    public let pattern: EvolutionPattern
    public let strength: Double
    public let points: Int

    public init(trait: TraitKey, pattern: EvolutionPattern, strength: Double, points: Int) {
        self.trait = trait
        self.pattern = pattern
        self.strength = strength
        self.points = points
    }
}

/// Reads a trait's recent history and names its shape, with the seed's thresholds.
///
/// - trend: the least-squares line's rise over the window; increasing above +0.15, decreasing below -0.15.
/// - variation: max minus min; stable below 0.05.
/// - oscillating: standard deviation above 0.15 without a trend that explains it.
public enum EvolutionAnalyzer {
    public static let trendThreshold = 0.15
    public static let stableVariation = 0.05
    public static let oscillationStdDev = 0.15
    public static let significantChange = 0.2
    /// Fewer points than this say nothing about a pattern.
    public static let minimumPoints = 3

    public static func pattern(of values: [Double]) -> (pattern: EvolutionPattern, strength: Double)? {
        guard values.count >= minimumPoints else { return nil }
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
        let stdDev = variance.squareRoot()
        let variation = (values.max() ?? 0) - (values.min() ?? 0)
        let trend = fittedRise(values)

        if variation < stableVariation {
            return (.stable, clamp(1 - variation / stableVariation))
        }
        // A trend counts when it explains most of the movement; a zig-zag with a small net rise is oscillation.
        if abs(trend) > trendThreshold, residualStdDev(values, mean: mean) <= max(stdDev * 0.75, 0.05) {
            return (trend > 0 ? .increasing : .decreasing, clamp(abs(trend) / (2 * trendThreshold)))
        }
        if stdDev > oscillationStdDev {
            return (.oscillating, clamp(stdDev / (2 * oscillationStdDev)))
        }
        if abs(trend) > trendThreshold {
            return (trend > 0 ? .increasing : .decreasing, clamp(abs(trend) / (2 * trendThreshold)))
        }
        return nil
    }

    public static func isSignificant(_ change: TraitChange) -> Bool {
        guard let old = change.oldValue else { return false }
        return abs(change.newValue - old) >= significantChange
    }

    /// Slope of the least-squares line times the span of the window (index 0 to n-1).
    static func fittedRise(_ values: [Double]) -> Double {
        let n = Double(values.count)
        let meanX = (n - 1) / 2
        let meanY = values.reduce(0, +) / n
        var numerator = 0.0
        var denominator = 0.0
        for (index, value) in values.enumerated() {
            let dx = Double(index) - meanX
            numerator += dx * (value - meanY)
            denominator += dx * dx
        }
        guard denominator > 0 else { return 0 }
        return numerator / denominator * (n - 1)
    }

    static func residualStdDev(_ values: [Double], mean: Double) -> Double {
        let n = Double(values.count)
        let slope = fittedRise(values) / max(n - 1, 1)
        let meanX = (n - 1) / 2
        let residuals = values.enumerated().map { index, value in
            value - (mean + slope * (Double(index) - meanX))
        }
        return (residuals.reduce(0) { $0 + $1 * $1 } / n).squareRoot()
    }

    static func clamp(_ value: Double) -> Double { min(1, max(0, value)) }
}
