import ArgumentParser
import Foundation
import SelfologyApp
import SelfologyCore
import SelfologyServices

/// `selfology dead-letters`: lists the events consumer groups set aside, and with `--replay` puts them back.
struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List the events set aside after failing too often; --replay puts them back.",
        discussion: """
            Replay once the cause is gone (the store is back, a fixed build runs): each event is published again \
            and applied by the group that set it aside; groups that applied it skip it. It arrives after its \
            person's later events. Events whose outbox row is past the retention period cannot be replayed and \
            stay listed. Works while Selfology runs: its relay picks the events up within a second.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Only this consumer group's dead letters.") var group: ConsumerGroup?
    @Flag(help: "Put the dead letters back instead of listing them.") var replay = false

    func run() async throws {
        let logger = Logs.bootstrap(default: .warning)
        let (database, close) = try await SelfologyRuntime.openStore(try store.configuration(), logger: logger)
        _ = try await Migrator.migrate(database)
        let group = self.group
        let letters = try await database.read { db in try await DeadLetters.list(group: group, in: db) }
        guard replay else {
            try await close()
            print(letters.isEmpty ? "no dead letters" : letters.map(Self.describe).joined(separator: "\n"))
            return
        }
        var requeued = 0
        var gone = 0
        for letter in letters {
            switch try await database.transaction({ db in try await DeadLetters.requeue(letter, in: db) }) {
            case .requeued: requeued += 1
            case .gone: gone += 1
            }
        }
        try await close()
        print("put back \(requeued) of \(letters.count)" + (gone > 0 ? "; \(gone) past the outbox retention stay" : ""))
    }

    /// Ids, type and the error; never the event's payload.
    static func describe(_ letter: DeadLetters.Letter) -> String {
        let when = ISO8601DateFormatter().string(from: letter.failedAt)
        return "\(letter.id)  \(when)  \(letter.group)  \(letter.eventType)  \(letter.eventID.rawValue)  "
            + "\(letter.attempts) attempts: \(letter.error.prefix(160))"
    }
}

extension ConsumerGroup: ExpressibleByArgument {}
