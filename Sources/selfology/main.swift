import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

// The command is parsed before any task runs, because only then can the event loops take over Swift
// concurrency's jobs (see `NetworkStoresOnly`). ArgumentParser's own `main` would parse inside a task.
do {
    var command = try SelfologyCommand.parseAsRoot()
    if (command as? any NetworkStoresOnly)?.usesNetworkStoresOnly(ProcessInfo.processInfo.environment) == true {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
    if var command = command as? any AsyncParsableCommand {
        try await runAsync(&command)
    } else {
        try command.run()
    }
} catch {
    SelfologyCommand.exit(withError: error)
}

/// Runs an asynchronous command; called on the existential directly, `run()` resolves to the synchronous
/// requirement, whose default only prints the help.
func runAsync<Command: AsyncParsableCommand>(_ command: inout Command) async throws {
    try await command.run()
}
