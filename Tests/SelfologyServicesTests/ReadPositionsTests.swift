import SelfologyRedis
import Testing

@testable import SelfologyDistributed

@Suite("Where a consumer's fenced reads left its partitions")
struct ReadPositionsTests {
    let partitions = [0, 1, 2, 3]
    func stream(_ partition: Int) -> String { "s:\(partition)" }

    func entries(_ partition: Int, _ ids: [String]) -> [RedisStreamEntry] {
        ids.map { RedisStreamEntry(stream: stream(partition), id: $0, fields: [:]) }
    }

    /// Every partition read to its end: 0 gave one entry, the others nothing.
    func readToTheEnd() throws -> ReadPositions {
        var found = FencedStreamReads.NewEntries()
        found.entries = entries(0, ["5-0"])
        found.drained = [(stream(1), "3-0"), (stream(2), "0-0"), (stream(3), "7-1")]
        return try #require(
            ReadPositions.after(found, read: partitions, count: 4, of: partitions, before: nil, stream: stream))
    }

    @Test("a full read to every end waits from each partition's newest entry")
    func fullRead() throws {
        let positions = try readToTheEnd()
        #expect(positions.waitPoints.map(\.stream) == partitions.map(stream))
        #expect(positions.waitPoints.map(\.id) == ["5-0", "3-0", "0-0", "7-1"])
    }

    @Test("a wake reads only the partitions it named")
    func wokenOnly() throws {
        let positions = try readToTheEnd()
        #expect(positions.woken([stream(2)]) == [2])
        #expect(positions.woken([stream(3), stream(0), "elsewhere"]) == [0, 3])
        #expect(positions.woken([]).isEmpty)
    }

    @Test("after reading some partitions, the others keep their positions")
    func othersStay() throws {
        let before = try readToTheEnd()
        var found = FencedStreamReads.NewEntries()
        found.entries = entries(2, ["8-0", "9-0"])
        let after = try #require(
            ReadPositions.after(found, read: [2], count: 4, of: partitions, before: before, stream: stream))
        #expect(after.waitPoints.map(\.id) == ["5-0", "3-0", "9-0", "7-1"])
    }

    @Test("a partition that gave its full count may hold more: no position to wait from")
    func fullCount() throws {
        let before = try readToTheEnd()
        var found = FencedStreamReads.NewEntries()
        found.entries = entries(1, ["4-0", "4-1"])
        #expect(ReadPositions.after(found, read: [1], count: 2, of: partitions, before: before, stream: stream) == nil)
    }

    @Test("a lost lease, or partitions other than those positions were kept for, give no positions")
    func unknown() throws {
        let before = try readToTheEnd()
        var lost = FencedStreamReads.NewEntries()
        lost.lost = [1]
        #expect(ReadPositions.after(lost, read: [1], count: 4, of: partitions, before: before, stream: stream) == nil)

        var found = FencedStreamReads.NewEntries()
        found.entries = entries(2, ["8-0"])
        let more = partitions + [4]
        #expect(ReadPositions.after(found, read: [2], count: 4, of: more, before: before, stream: stream) == nil)
        #expect(ReadPositions.after(found, read: [2], count: 4, of: partitions, before: nil, stream: stream) == nil)
    }
}
