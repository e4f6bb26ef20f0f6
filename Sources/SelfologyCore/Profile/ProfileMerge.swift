/// Folds new trait evidence into a profile.
///
/// Each value is a weighted running mean: a scale item weighs 1, a text cue or a model estimate weighs less and
/// in proportion to its confidence. When only scale items speak to a trait, the value is exactly the mean of the
/// keyed item scores; when many answers have established a value, one more answer moves it only a little.
public enum ProfileMerge {
    /// The evidence weight at which confidence reaches one half.
    public static let confidenceHalfWeight = 3.0
    /// Values that move less than this are not reported as changes (no trait-history noise).
    public static let reportableChange = 0.001

    public static func weight(of evidence: TraitEvidence) -> Double {
        switch evidence.source {
        case .scaleItem: 1.0
        case .textCue: 0.25 * evidence.confidence
        case .model: 0.6 * evidence.confidence
        }
    }

    /// Returns the merged profile and the values that changed, one change per trait even if several pieces of
    /// evidence touched it.
    public static func merge(_ evidence: [TraitEvidence], into profile: PersonalityProfile)
        -> (profile: PersonalityProfile, changes: [TraitChange])
    {
        var merged = profile
        var before: [TraitKey: Double?] = [:]
        var order: [TraitKey] = []
        for item in evidence {
            let weight = weight(of: item)
            guard weight > 0 else { continue }
            if before[item.trait] == nil {
                before[item.trait] = .some(merged[item.trait]?.value)
                order.append(item.trait)
            }
            var score = merged[item.trait] ?? TraitScore(value: item.value, weight: 0)
            let total = score.weight + weight
            score.value = (score.value * score.weight + item.value * weight) / total
            score.weight = total
            if let label = item.label {
                score.labelWeights[label, default: 0] += weight
                score.label =
                    score.labelWeights.max { $0.value == $1.value ? $0.key > $1.key : $0.value < $1.value }?.key
            }
            var tally = score.sources[item.source] ?? SourceTally()
            tally.count += 1
            tally.weightedSum += item.value * weight
            tally.weight += weight
            score.sources[item.source] = tally
            merged[item.trait] = score
        }
        let changes = order.compactMap { key -> TraitChange? in
            guard let score = merged[key], let old = before[key] else { return nil }
            if let old, abs(old - score.value) < reportableChange { return nil }
            return TraitChange(trait: key, oldValue: old, newValue: score.value, confidence: score.confidence)
        }
        merged.signature = SignatureDeriver.signature(of: merged)
        return (merged, changes)
    }
}
