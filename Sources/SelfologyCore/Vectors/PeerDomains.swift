/// What people with a similar profile have in common, said so that it reveals no one: only domains that are
/// among the top two of at least two of them, and only when at least `minimumPeers` similar people exist.
public enum PeerDomains {
    public static func common(among peers: [PersonalityProfile], minimumPeers: Int = 3, limit: Int = 2) -> [String] {
        guard peers.count >= max(minimumPeers, 2) else { return [] }
        var counts: [String: Int] = [:]
        for peer in peers {
            for domain in ProfileSummary.topDomains(of: peer, limit: 2) { counts[domain, default: 0] += 1 }
        }
        return counts.filter { $0.value >= 2 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit)
            .map(\.key)
    }
}
