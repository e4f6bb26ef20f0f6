/// Where a consumer's fenced reads left its readable partitions, kept while every one of them was read to its end.
/// The next read then waits from there (one XREAD) and reads under the fence only the partitions the wake named:
/// reading all of them on every wake was a lease check, a group read and a look at the newest entry for each of the
/// consumer's partitions, where at light load one has something new.
///
/// A partition the wake did not name keeps its position, so an entry that reached it after the wake is found by
/// the next wait at once; positions only ever move to entries read or to a partition's newest entry when the group
/// had already been given everything in it.
struct ReadPositions {
    typealias Position = (stream: String, id: String)

    let partitions: [Int]
    private let newest: [Int: Position]

    /// The points to wait from, one per partition.
    var waitPoints: [Position] { partitions.compactMap { newest[$0] } }

    /// The partitions whose streams the wake named.
    func woken(_ streams: Set<String>) -> [Int] {
        partitions.filter { newest[$0].map { streams.contains($0.stream) } ?? false }
    }

    /// The positions after a fenced read of `read`, some or all of `partitions`, which asked each for at most
    /// `count` entries; the partitions not read stay where they were in `before`. `nil` when a partition may hold
    /// more than it gave, a lease was lost, or a partition's position is unknown.
    static func after(
        _ found: FencedStreamReads.NewEntries, read: [Int], count: Int, of partitions: [Int],
        before: ReadPositions?, stream: (Int) -> String
    ) -> ReadPositions? {
        guard found.lost.isEmpty else { return nil }
        var positions = before?.partitions == partitions ? before?.newest ?? [:] : [:]
        let partitionOf = Dictionary(uniqueKeysWithValues: read.map { (stream($0), $0) })
        var taken: [Int: Int] = [:]
        for (streamName, id) in found.drained {
            guard let partition = partitionOf[streamName] else { continue }
            positions[partition] = (streamName, id)
        }
        for entry in found.entries {
            guard let partition = partitionOf[entry.stream] else { continue }
            taken[partition, default: 0] += 1
            positions[partition] = (entry.stream, entry.id)
        }
        guard taken.values.allSatisfy({ $0 < count }), partitions.allSatisfy({ positions[$0] != nil }) else {
            return nil
        }
        return ReadPositions(partitions: partitions, newest: positions)
    }
}
