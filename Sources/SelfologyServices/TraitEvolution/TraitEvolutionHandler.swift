import Foundation
import SelfologyCore

/// Service 5: records every profile change in the trait history and announces significant changes and new
/// patterns (increasing, decreasing, stable, oscillating) over a window of recent values.
public struct TraitEvolutionHandler: EventHandler {
    public let group = ConsumerGroup.traitEvolution
    /// History points a pattern is computed over.
    let window: Int

    public init(window: Int = 10) { self.window = window }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        guard event.type == .profileUpdated else { return }
        let update = try event.decode(ProfileUpdated.self)
        let user = event.userID
        for change in update.changes {
            try await TraitHistoryStore.record(
                change, user: user, trigger: update.trigger, now: context.now, in: context.db)
            let values = try await TraitHistoryStore.recentValues(
                of: change.trait, user: user, limit: window, in: context.db)
            let detected = EvolutionAnalyzer.pattern(of: values)
            let significant = EvolutionAnalyzer.isSignificant(change)
            let previous = try await TraitHistoryStore.lastAnnounced(change.trait, user: user, in: context.db)
            guard significant || (detected != nil && detected?.pattern != previous) else { continue }
            let delta = change.newValue - (change.oldValue ?? change.newValue)
            let pattern = detected?.pattern ?? (delta >= 0 ? .increasing : .decreasing)
            let strength = detected?.strength ?? min(1, abs(delta) / (2 * EvolutionAnalyzer.significantChange))
            try await TraitHistoryStore.announce(pattern, for: change.trait, user: user, in: context.db)
            try context.emit(
                TraitEvolutionDetected(
                    trait: change.trait, pattern: pattern, strength: strength, change: delta, window: values.count),
                for: user)
        }
    }
}
