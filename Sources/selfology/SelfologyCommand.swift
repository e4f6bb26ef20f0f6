import ArgumentParser
import Foundation
import Logging
import SelfologyApp
import SelfologyContent
import SelfologyCore

struct SelfologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selfology",
        abstract: "Selfology: a psychological coaching bot built as eight event-driven services.",
        subcommands: [
            ChatCommand.self, ServeCommand.self, MigrateCommand.self, EventsCommand.self, QuestionsCommand.self,
            BenchCommand.self, StatsCommand.self, DeadLettersCommand.self,
            ServiceCommand.self,
        ],
        defaultSubcommand: ChatCommand.self)
}

/// Options shared by the commands that open the store.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("data"),
        help: "SQLite file (default: $SELFOLOGY_DATA, else ~/.local/share/selfology/selfology.sqlite).")
    var dataPath: String?

    func configuration() throws -> RuntimeConfiguration {
        var configuration = try RuntimeConfiguration.fromEnvironment()
        if let dataPath { configuration.dataPath = dataPath }
        return configuration
    }
}

enum Logs {
    /// Logs go to standard error, so they never mix with the conversation; `SELFOLOGY_LOG_LEVEL` sets the level.
    static func bootstrap(default level: Logger.Level) -> Logger {
        let configured = ProcessInfo.processInfo.environment["SELFOLOGY_LOG_LEVEL"].flatMap(
            Logger.Level.init(rawValue:))
        LoggingSystem.bootstrap { label in
            var handler = DeferredMetadataLogHandler.standardError(label: label)
            handler.logLevel = configured ?? level
            return handler
        }
        return Logger(label: "selfology")
    }
}
