import ArgumentParser
import Foundation
import SelfologyApp
import SelfologyServices

/// `selfology stats`: model calls, tier shares, fallbacks and cost per day, from the configured store.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Show what the language models did and cost, per day.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Days to show, today included.") var days = 7

    func run() async throws {
        guard days > 0 else { throw ValidationError("--days must be at least 1") }
        let logger = Logs.bootstrap(default: .warning)
        let configuration = try store.configuration()
        let (database, close) = try await SelfologyRuntime.openStore(configuration, logger: logger)
        _ = try await Migrator.migrate(database)
        let firstDay = UsageStore.day(of: Date().addingTimeInterval(-Double(days - 1) * 86_400))
        let rows = try await database.read { db in try await UsageStore.rows(since: firstDay, in: db) }
        try await close()
        print(UsageReport.render(rows, totalDailyBudgetMicros: configuration.ai.router.totalDailyBudgetMicros))
    }
}
