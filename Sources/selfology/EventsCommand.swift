import ArgumentParser
import SelfologyCore

/// `selfology events`: prints the event catalog, who produces and who consumes each event.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Print the event catalog.")

    func run() {
        for event in EventCatalog.all {
            let step = event.flowStep.map { "step \($0)" } ?? "-"
            let consumers = event.consumers.map(\.rawValue).joined(separator: ", ")
            let producers = event.producers.map(\.rawValue).joined(separator: ", ")
            print("\(event.type.rawValue)\n  \(step) · \(producers) → \(consumers)\n  \(event.summary)")
        }
    }
}
