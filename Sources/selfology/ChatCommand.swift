import ArgumentParser
import Foundation
import SelfologyApp
import SelfologyContent
import SelfologyCore

/// `selfology chat`: the whole journey in a terminal, offline, on the embedded runtime.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Talk to Selfology in this terminal (offline, no keys needed).")

    @OptionGroup var store: StoreOptions

    @Option(help: "Who is talking: each name is a separate person with their own profile.")
    var user = "me"

    @Option(help: "Language for a new person: en or ru (default: from $LANG).")
    var language: Language?

    func run() async throws {
        let logger = Logs.bootstrap(default: .warning)
        let configuration = try store.configuration()
        let environment = ProcessInfo.processInfo.environment
        let output = StandardOutput()
        let runtime = try await SelfologyRuntime.prepare(
            configuration: configuration, content: try ContentLibrary.bundled(),
            transport: TerminalTransport(
                person: TerminalChat.userID(forName: user), files: RuntimeConfiguration.copiesFolder(environment)
            ) { output.write($0) },
            logger: logger)
        let group = runtime.makeServiceGroup(signals: [.sigterm])
        // Input from a pipe or file is a script: answer each line before reading the next.
        let scripted = isatty(STDIN_FILENO) == 0
        let language = self.language ?? Language(localeCode: environment["LANG"])
        output.write(
            language == .ru
                ? "Selfology (офлайн). Отправьте /start, чтобы начать, /help — список команд, Ctrl-D — выход.\n"
                : "Selfology (offline). Type /start to begin, /help for commands, Ctrl-D to quit.\n")

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await TerminalChat.run(
                lines: TerminalChat.standardInputLines(), user: TerminalChat.userID(forName: user),
                gateway: runtime.gateway, language: language,
                afterEachLine: { if scripted { _ = try await runtime.settle(timeout: .seconds(30)) } })
            // Input ended: let the replies to the last lines arrive, then stop the services gracefully.
            _ = try await runtime.settle(timeout: .seconds(10))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try await runtime.close()
    }
}

extension Language: ExpressibleByArgument {}

/// Serialises writes to standard output from the delivering services.
final class StandardOutput: Sendable {
    func write(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
