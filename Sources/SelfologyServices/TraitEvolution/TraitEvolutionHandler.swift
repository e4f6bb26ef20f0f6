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
        // A merge reports each trait once; should a trait ever appear twice, its last change stands.
        var seen = Set<TraitKey>()
        let changes = update.changes.reversed().filter { seen.insert($0.trait).inserted }.reversed()
        guard !changes.isEmpty else { return }
        try await TraitHistoryStore.record(
            Array(changes), user: user, trigger: update.trigger, now: context.now, in: context.db)
        let history = try await TraitHistoryStore.recentValues(
            of: changes.map(\.trait), user: user, limit: window, in: context.db)
        let announced = try await TraitHistoryStore.announcements(of: user, in: context.db)
        var announcing: [(trait: TraitKey, pattern: EvolutionPattern)] = []
        for change in changes {
            let values = history[change.trait] ?? [change.newValue]
            let detected = EvolutionAnalyzer.pattern(of: values)
            let significant = EvolutionAnalyzer.isSignificant(change)
            guard significant || (detected != nil && detected?.pattern != announced[change.trait]) else { continue }
            let delta = change.newValue - (change.oldValue ?? change.newValue)
            let pattern = detected?.pattern ?? (delta >= 0 ? .increasing : .decreasing)
            let strength = detected?.strength ?? min(1, abs(delta) / (2 * EvolutionAnalyzer.significantChange))
            announcing.append((change.trait, pattern))
            try context.emit(
                TraitEvolutionDetected(
                    trait: change.trait, pattern: pattern, strength: strength, change: delta, window: values.count),
                for: user)
        }
        try await TraitHistoryStore.announce(announcing, user: user, in: context.db)
    }
}
