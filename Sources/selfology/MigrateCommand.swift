import ArgumentParser
import SelfologyApp
import SelfologyEmbedded
import SelfologyServices

/// `selfology migrate`: creates or upgrades the schema and reports what it applied.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply database migrations.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        _ = Logs.bootstrap(default: .warning)
        let configuration = try store.configuration()
        let database = try await SQLiteDatabase.open(path: configuration.dataPath)
        let applied = try await Migrator.migrate(database)
        try await database.close()
        print(
            applied.isEmpty
                ? "schema is up to date"
                : applied.map { "applied \($0.version): \($0.name)" }.joined(separator: "\n"))
    }
}
