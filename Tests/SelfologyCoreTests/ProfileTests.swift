import SelfologyCore
import Testing

@Suite("Profile merge, scoring, evolution and style")
struct ProfileTests {
    let openness = TraitKey.bigFive(.openness)

    func scale(_ value: Int, reverse: Bool = false) -> TraitEvidence {
        TraitEvidence(
            trait: openness, value: DeepAnalyzer.scaleScore(value, reverse: reverse), confidence: 1, source: .scaleItem)
    }

    @Test("scale items score exactly: reverse keys flip, the value is the mean of the keyed items")
    func exactScaleScore() {
        #expect(DeepAnalyzer.scaleScore(5, reverse: false) == 1)
        #expect(DeepAnalyzer.scaleScore(5, reverse: true) == 0)
        #expect(DeepAnalyzer.scaleScore(2, reverse: true) == 0.75)
        var profile = PersonalityProfile()
        for evidence in [scale(5), scale(4), scale(2, reverse: true), scale(1)] {
            profile = ProfileMerge.merge([evidence], into: profile).profile
        }
        let score = try! #require(profile[openness])
        #expect(abs(score.value - (1 + 0.75 + 0.75 + 0) / 4) < 1e-9)
        #expect(score.sources[.scaleItem]?.count == 4)
        // Weak text evidence blends into the value but never into the exact scale score.
        let cue = TraitEvidence(trait: openness, value: 0, confidence: 1, source: .textCue)
        let blended = try! #require(ProfileMerge.merge([cue], into: profile).profile[openness])
        #expect(blended.value < score.value && blended.scaleScore == score.value)
    }

    @Test("confidence grows with evidence, and one text cue cannot swing an established trait")
    func confidenceWeighting() {
        var profile = PersonalityProfile()
        var confidences: [Double] = []
        for _ in 0..<10 {
            profile = ProfileMerge.merge([scale(4)], into: profile).profile
            confidences.append(profile[openness]!.confidence)
        }
        #expect(confidences == confidences.sorted() && confidences.last! > 0.7)
        let cue = TraitEvidence(trait: openness, value: 0, confidence: 1, source: .textCue)
        let (after, changes) = ProfileMerge.merge([cue], into: profile)
        #expect(abs(after[openness]!.value - 0.75) < 0.02)
        #expect(changes.count == 1 && changes[0].oldValue == 0.75)
    }

    @Test("a first value reports a change with no old value; the signature appears with Big Five data")
    func firstChange() {
        let (profile, changes) = ProfileMerge.merge([scale(5)], into: PersonalityProfile())
        #expect(
            changes == [
                TraitChange(trait: openness, oldValue: nil, newValue: 1, confidence: profile[openness]!.confidence)
            ])
        #expect(profile.signature?.thinkingStyle == "exploratory-intuitive")
    }

    @Test(
        "evolution patterns follow the seed's thresholds",
        arguments: [
            ([0.2, 0.3, 0.4, 0.5], EvolutionPattern?.some(.increasing)),
            ([0.8, 0.7, 0.6, 0.5], .some(.decreasing)),
            ([0.50, 0.52, 0.51, 0.53], .some(.stable)),
            ([0.2, 0.8, 0.2, 0.8, 0.2], .some(.oscillating)),
            ([0.5, 0.6], nil),
        ])
    func evolutionPatterns(values: [Double], expected: EvolutionPattern?) {
        #expect(EvolutionAnalyzer.pattern(of: values)?.pattern == expected)
    }

    @Test("a change of 0.2 or more is significant")
    func significantChange() {
        #expect(
            EvolutionAnalyzer.isSignificant(TraitChange(trait: openness, oldValue: 0.3, newValue: 0.5, confidence: 1)))
        #expect(
            !EvolutionAnalyzer.isSignificant(TraitChange(trait: openness, oldValue: 0.3, newValue: 0.49, confidence: 1))
        )
        #expect(
            !EvolutionAnalyzer.isSignificant(TraitChange(trait: openness, oldValue: nil, newValue: 0.9, confidence: 1)))
    }

    @Test("style follows the seed: strictly above 0.6 switches each dimension")
    func styleThresholds() {
        var profile = PersonalityProfile()
        #expect(
            CoachingStyle.adapted(to: profile)
                == CoachingStyle(approach: .practicalActions, format: .flexibleGuidance, tone: .calm))
        profile.bigFive = [
            "openness": TraitScore(value: 0.61, weight: 1), "conscientiousness": TraitScore(value: 0.6, weight: 1),
            "extraversion": TraitScore(value: 0.9, weight: 1),
        ]
        #expect(
            CoachingStyle.adapted(to: profile)
                == CoachingStyle(approach: .creativeMetaphors, format: .flexibleGuidance, tone: .energetic))
    }
}
