import Foundation
import SelfologyCore

/// Service 5: records every profile change in the trait history and announces significant changes and new
/// patterns (increasing, decreasing, stable, oscillating) over a window of recent values.
public struct TraitEvolutionHandler: EventHandler {
    public let group = ConsumerGroup.traitEvolution
    /// History points a pattern is computed over.
    let window: Int

    public init(window: Int = 10) { self.window = window }
    public var personalTables: [PersonalTable] {
        [PersonalTable("trait_history"), PersonalTable("evolution_announcements")]
    }

    public func handle(_ event: EventEnvelope, context: HandlerContext) async throws {
        try await handle(batch: [(event, context)])
    }

    /// The batch's people's recent values and announcements are read in two statements before anything is
    /// written; each update then extends them in memory in turn (what reading them back after writing its history
    /// would give), and the history and the announcements are written in one statement each.
    public func handle(batch: [BatchItem]) async throws {
        guard let db = batch.first?.context.db else { return }
        var updates: [(event: EventEnvelope, context: HandlerContext, changes: [TraitChange])] = []
        for (event, context) in batch where event.type == .profileUpdated {
            let update = try event.decode(ProfileUpdated.self)
            // A merge reports each trait once; should a trait ever appear twice, its last change stands.
            var seen = Set<TraitKey>()
            let changes = update.changes.reversed().filter { seen.insert($0.trait).inserted }.reversed()
            if !changes.isEmpty { updates.append((event, context, Array(changes))) }
        }
        guard !updates.isEmpty else { return }
        var traits: [(user: UserID, trait: TraitKey)] = []
        var listed: [UserID: Set<TraitKey>] = [:]
        for (event, _, changes) in updates {
            for change in changes where listed[event.userID, default: []].insert(change.trait).inserted {
                traits.append((event.userID, change.trait))
            }
        }
        var history = try await TraitHistoryStore.recentValues(of: traits, limit: window, in: db)
        var announced = try await TraitHistoryStore.announcements(of: Set(updates.map(\.event.userID)), in: db)
        var points: [TraitHistoryStore.Point] = []
        var announcing: [UserID: [TraitKey: EvolutionPattern]] = [:]
        for (event, context, changes) in updates {
            let user = event.userID
            let trigger = try event.decode(ProfileUpdated.self).trigger
            for change in changes {
                points.append(.init(user: user, change: change, trigger: trigger, at: context.now))
                history[user, default: [:]][change.trait, default: []].append(change.newValue)
                let values = Array(history[user]![change.trait]!.suffix(window))
                history[user]![change.trait] = values
                let detected = EvolutionAnalyzer.pattern(of: values)
                let significant = EvolutionAnalyzer.isSignificant(change)
                guard significant || (detected != nil && detected?.pattern != announced[user]?[change.trait])
                else { continue }
                let delta = change.newValue - (change.oldValue ?? change.newValue)
                let pattern = detected?.pattern ?? (delta >= 0 ? .increasing : .decreasing)
                let strength = detected?.strength ?? min(1, abs(delta) / (2 * EvolutionAnalyzer.significantChange))
                announced[user, default: [:]][change.trait] = pattern
                announcing[user, default: [:]][change.trait] = pattern
                try context.emit(
                    TraitEvolutionDetected(
                        trait: change.trait, pattern: pattern, strength: strength, change: delta, window: values.count),
                    for: user)
            }
        }
        try await TraitHistoryStore.record(points, in: db)
        try await TraitHistoryStore.announce(announcing, in: db)
    }
}
