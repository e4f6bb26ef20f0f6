import Foundation
import SQLKit
import SelfologyCore
import SelfologyServices

/// Puts back on the in-process bus every event the relay had published before the process stopped but that
/// some consumer group had not yet applied (no idempotency mark). Runs once at start-up, before the consumers.
public enum EmbeddedRecovery {
    @discardableResult
    public static func replayUnapplied(database: any Database, bus: InProcessEventBus) async throws -> Int {
        var replayed = 0
        for group in ConsumerGroup.allCases {
            let types = EventCatalog.subscriptions(of: group).map(\.rawValue)
            guard !types.isEmpty else { continue }
            let envelopes = try await database.read { db in
                try await OutboxStore.publishedNotApplied(by: group, types: types, in: db)
            }
            for envelope in envelopes { bus.redeliver(envelope, to: group) }
            replayed += envelopes.count
        }
        return replayed
    }
}
