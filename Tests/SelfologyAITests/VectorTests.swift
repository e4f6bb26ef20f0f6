import SelfologyCore
import Testing

/// The offline embedding, the summary it embeds, and what similar people may reveal.
@Suite("Profile vectors")
struct VectorTests {
    static func profile(openness: Double, domains: [String: Double]) -> PersonalityProfile {
        var profile = PersonalityProfile()
        profile.bigFive["openness"] = TraitScore(value: openness, weight: 4)
        for (domain, value) in domains { profile.domainAffinities[domain] = TraitScore(value: value, weight: 2) }
        return profile
    }

    @Test("the hashed embedding is a deterministic 512-d unit vector; similar summaries are closer")
    func hashedEmbedding() {
        let a = HashedEmbedding.embed("openness high; extraversion low; engaged with work health")
        let b = HashedEmbedding.embed("openness high; extraversion moderate; engaged with work health")
        let c = HashedEmbedding.embed("openness low; neuroticism high; engaged with money past")
        #expect(a.count == 512)
        #expect(a == HashedEmbedding.embed("openness high; extraversion low; engaged with work health"))
        #expect(abs(a.reduce(0) { $0 + $1 * $1 } - 1) < 0.0001)
        #expect(VectorMath.cosine(a, b) > VectorMath.cosine(a, c))
        #expect(VectorMath.cosine(a, a) > 0.9999)
    }

    @Test("the summary names levels and domains, not scores, so small changes do not re-embed")
    func summary() {
        let first = ProfileSummary.text(of: Self.profile(openness: 0.81, domains: ["WORK": 0.9, "HEALTH": 0.7]))
        let second = ProfileSummary.text(of: Self.profile(openness: 0.84, domains: ["WORK": 0.9, "HEALTH": 0.7]))
        #expect(first == second)
        #expect(first.contains("openness high") && first.contains("engaged with work health"))
        #expect(ProfileSummary.text(of: PersonalityProfile()) == "unknown profile")
    }

    @Test("similar people's domains: only with at least three of them, and only what two share")
    func peerDomains() {
        let work = Self.profile(openness: 0.5, domains: ["WORK": 0.9, "HEALTH": 0.5, "MONEY": 0.1])
        let alsoWork = Self.profile(openness: 0.5, domains: ["WORK": 0.8, "PAST": 0.6])
        let other = Self.profile(openness: 0.5, domains: ["CREATIVITY": 0.9, "PAST": 0.7])
        #expect(PeerDomains.common(among: [work, alsoWork]).isEmpty, "two people are too few")
        #expect(PeerDomains.common(among: [work, alsoWork, other]) == ["PAST", "WORK"], "ties in name order")
        #expect(PeerDomains.common(among: [work, other, Self.profile(openness: 0, domains: ["MONEY": 1])]).isEmpty)
    }
}
