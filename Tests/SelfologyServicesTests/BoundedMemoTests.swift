import Testing

@testable import SelfologyServices

@Suite("Bounded memo")
struct BoundedMemoTests {
    @Test("values are found until the newer half fills twice; taking forgets; the size stays within capacity")
    func boundedLookupAndTake() {
        let memo = BoundedMemo<String, Int>(capacity: 4)
        for index in 0..<3 { memo.remember(index, for: "k\(index)") }
        #expect((0..<3).map { memo.value(for: "k\($0)") } == [0, 1, 2])
        for index in 3..<6 { memo.remember(index, for: "k\(index)") }
        #expect(memo.count <= 4)
        #expect(memo.value(for: "k0") == nil && memo.value(for: "k1") == nil)
        #expect(memo.value(for: "k5") == 5 && memo.value(for: "k4") == 4)
        #expect(memo.take("k5") == 5)
        #expect(memo.take("k5") == nil && memo.value(for: "k5") == nil)
        memo.remember(50, for: "k4")
        #expect(memo.value(for: "k4") == 50)
    }
}
