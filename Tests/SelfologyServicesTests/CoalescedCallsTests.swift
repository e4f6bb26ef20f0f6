import Synchronization
import Testing

@testable import SelfologyServices

@Suite("Calls carried out together")
struct CoalescedCallsTests {
    struct Refused: Error {}

    @Test("calls made meanwhile go as one batch; a bad call in it then fails alone and the others get their results")
    func oneFailureIsItsOwn() async throws {
        let batches = Mutex<[[Int]]>([])
        let open = Mutex(false)
        let calls = CoalescedCalls<Int, Int> { inputs in
            // The first call holds the leader until the others have queued behind it.
            while inputs == [0] && !open.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(1)) }
            batches.withLock { $0.append(inputs) }
            if inputs.contains(13) { throw Refused() }
            return inputs.map { $0 * 2 }
        }
        async let lead = calls.call(0)
        while calls.waiting > 0 { await Task.yield() }
        let others = Task {
            await withTaskGroup(of: (Int, Int?).self) { group in
                for input in [1, 13, 5] { group.addTask { (input, try? await calls.call(input)) } }
                var results: [Int: Int?] = [:]
                for await (input, result) in group { results[input] = result }
                return results
            }
        }
        while calls.waiting < 3 { await Task.yield() }
        open.withLock { $0 = true }

        #expect(try await lead == 0)
        let results = await others.value
        #expect(results[1] == 2 && results[5] == 10)
        #expect(results[13] == .some(nil), "the bad call fails")
        let seen = batches.withLock { $0 }
        #expect(seen.first == [0])
        #expect(Set(seen[1]) == [1, 13, 5], "the three queued calls went as one batch")
        #expect(seen.dropFirst(2).contains([13]), "then the bad one alone")
    }

    @Test("with gathering, calls that come one after another within it still go as one batch")
    func gatheringJoinsCallsThatDoNotOverlap() async throws {
        let batches = Mutex<[[Int]]>([])
        let calls = CoalescedCalls<Int, Int>(gathering: .seconds(1)) { inputs in
            batches.withLock { $0.append(inputs) }
            return inputs
        }
        async let first = calls.call(1)
        // The first call's leader is gathering: without it, it would have carried the call out alone by now.
        try await Task.sleep(for: .milliseconds(50))
        async let second = calls.call(2)
        #expect(try await [first, second] == [1, 2])
        #expect(batches.withLock { $0 } == [[1, 2]])
    }
}
