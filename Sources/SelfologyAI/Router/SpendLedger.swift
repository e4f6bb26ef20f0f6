import Foundation
import SelfologyCore
import SelfologyServices

/// Today's spend, for the budgets. Spend is written by the services with their effects (`ai_usage`), so every
/// process sees every other's.
public protocol SpendLedger: Sendable {
    func spentToday(by user: UserID) async -> (user: Int64, total: Int64)
}

/// Reads `ai_usage` before a remote call: two indexed reads, small beside the call itself. On a store error the
/// budget counts as unspent, because a read failure should not silence the coach.
public struct StoreSpendLedger: SpendLedger {
    let database: any Database

    public init(database: any Database) { self.database = database }

    public func spentToday(by user: UserID) async -> (user: Int64, total: Int64) {
        let day = UsageStore.day(of: Date())
        return (try? await database.read { db in try await UsageStore.spent(on: day, by: user, in: db) }) ?? (0, 0)
    }
}
