import Foundation
import SelfologyApp
import SelfologyContent
import SelfologyCore
import SelfologyServices
import ServiceLifecycle
import Synchronization
import Testing

@testable import SelfologyAI

/// The whole runtime on the embedded store with remote models configured the way an operator sets them
/// (`environment`), every model a fake server speaking its provider's wire format, and one person talking to it.
struct ModelRuntime {
    let runtime: SelfologyRuntime
    let transport: CollectingTransport
    let person: UserID
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    init(environment: [String: String], targetAnswers: Int, person: UserID) async throws {
        var configuration = RuntimeConfiguration(
            dataPath: FileManager.default.temporaryDirectory
                .appendingPathComponent("selfology-ai-\(UUID().uuidString)/store.sqlite").path)
        configuration.ai = try AIConfiguration.fromEnvironment(
            // A loaded test machine must not turn a slow fake into a fallback.
            environment.merging(["SELFOLOGY_AI_INSTANT_BUDGET_MS": "5000"]) { mine, _ in mine })
        configuration.session.targetAnswers = targetAnswers
        configuration.relay.pollInterval = .milliseconds(50)
        transport = CollectingTransport()
        runtime = try await SelfologyRuntime.prepare(
            configuration: configuration, content: RouterHarness.content, transport: transport)
        group = runtime.makeServiceGroup()
        running = Task { [group] in try await group.run() }
        self.person = person
    }

    /// What the person received in answer to `line`, once everything it caused has settled.
    func say(_ line: String) async throws -> [OutgoingMessage] {
        let before = transport.messages.count
        _ = try await runtime.gateway.receive(ChatInput.parse(line), from: person)
        #expect(try await runtime.settle(timeout: .seconds(20)))
        return Array(transport.messages.dropFirst(before))
    }

    /// Today's model calls as `task/model`, counting only calls that were used.
    func usedModels() async throws -> Set<String> {
        let usage = try await runtime.database.read { db in
            try await UsageStore.rows(since: UsageStore.day(of: Date()), in: db)
        }
        return Set(usage.filter { $0.calls > $0.failures }.map { "\($0.task)/\($0.model)" })
    }

    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
        try await runtime.close()
    }
}

final class CollectingTransport: ChatTransport {
    private let sent = Mutex<[OutgoingMessage]>([])

    var messages: [OutgoingMessage] { sent.withLock { $0 } }

    func deliver(_ message: OutgoingMessage, to user: UserID) async throws {
        sent.withLock { $0.append(message) }
    }
}
