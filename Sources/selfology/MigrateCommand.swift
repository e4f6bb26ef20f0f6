import ArgumentParser
import SelfologyApp
import SelfologyServices

/// `selfology migrate`: creates or upgrades the schema of the configured store (the SQLite file, or PostgreSQL
/// when `DATABASE_URL` is set) and reports what it applied.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply database migrations.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let logger = Logs.bootstrap(default: .warning)
        let (database, close) = try await SelfologyRuntime.openStore(try store.configuration(), logger: logger)
        let applied = try await Migrator.migrate(database)
        try await close()
        print(
            applied.isEmpty
                ? "schema is up to date"
                : applied.map { "applied \($0.version): \($0.name)" }.joined(separator: "\n"))
    }
}
