import Foundation
import SQLKit
import SelfologyCore
import Testing

@testable import SelfologyServices

@Suite("Trait history")
struct TraitHistoryTests {
    @Test(
        "each trait's window is its own last values, oldest first, read for all changed traits at once",
        arguments: TestStore.available)
    func recentValuesPerTrait(store: TestStore) async throws {
        let test = try await TestRuntime(store: store, startServices: false)
        let database = test.runtime.database
        let (user, other) = (UserID("h"), UserID("o"))
        let openness = TraitKey.bigFive(.openness), work = TraitKey(.domainAffinities, "WORK")
        let quiet = TraitKey.bigFive(.neuroticism)
        // 15 updates, each changing openness and WORK; another person's openness in between.
        for step in 0..<15 {
            let changes = [
                TraitChange(trait: openness, oldValue: nil, newValue: Double(step), confidence: 0.5),
                TraitChange(trait: work, oldValue: nil, newValue: Double(100 + step), confidence: 0.5),
            ]
            try await database.transaction { db in
                try await TraitHistoryStore.record(
                    changes, user: user, trigger: EventID("e\(step)"), now: Date(), in: db)
                try await TraitHistoryStore.record(
                    [TraitChange(trait: openness, oldValue: nil, newValue: -1, confidence: 0.5)], user: other,
                    trigger: EventID("x\(step)"), now: Date(), in: db)
            }
        }
        let windows = try await database.read { db in
            try await TraitHistoryStore.recentValues(of: [openness, work, quiet], user: user, limit: 10, in: db)
        }
        #expect(windows[openness] == (5..<15).map(Double.init))
        #expect(windows[work] == (105..<115).map(Double.init))
        #expect(windows[quiet] == nil)

        try await database.transaction { db in
            try await TraitHistoryStore.announce([(openness, .increasing), (work, .stable)], user: user, in: db)
            try await TraitHistoryStore.announce([(work, .oscillating)], user: user, in: db)
        }
        let announced = try await database.read { db in try await TraitHistoryStore.announcements(of: user, in: db) }
        #expect(announced == [openness: .increasing, work: .oscillating])
        try await test.stop()
    }
}
