import ArgumentParser
import SelfologyApp
import SelfologyCore

/// `selfology dead-letters`: lists the events set aside after failing too often, and with `--replay` puts them back.
struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List the events set aside after failing too often; --replay puts them back.",
        discussion: """
            Replay once the cause is gone (the store is back, a fixed build runs): each event is published again \
            and applied by the group that set it aside; groups that applied it skip it. It arrives after its \
            person's later events. Events whose outbox row is past the retention period, and unreadable stream \
            entries, cannot be replayed and stay listed. Works while Selfology runs: its relay picks the events \
            up within a second.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Only this consumer group's dead letters.") var group: ConsumerGroup?
    @Flag(help: "Put the dead letters back instead of listing them.") var replay = false

    func run() async throws {
        let logger = Logs.bootstrap(default: .warning)
        let sources = try await DeadLetterSources.open(try store.configuration(), logger: logger)
        let output: String
        do {
            if replay {
                output = try await sources.replay(group: group)
            } else {
                let lines = try await sources.list(group: group)
                output = lines.isEmpty ? "no dead letters" : lines.joined(separator: "\n")
            }
        } catch {
            try? await sources.close()
            throw error
        }
        try await sources.close()
        print(output)
    }
}

extension ConsumerGroup: ExpressibleByArgument {}
