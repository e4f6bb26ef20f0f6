import ArgumentParser
import Foundation
import SelfologyApp
import SelfologyContent
import SelfologyCore
import SelfologyServices
import UnixSignals

/// `selfology service <name>`: one service in this process, on PostgreSQL and Redis Streams. Start more
/// processes of a service to scale it: its consumer group shares the work. SIGTERM or SIGINT stop it
/// gracefully (stop reading, finish the batch in hand, ack, exit).
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Run one service (distributed runtime: needs DATABASE_URL and REDIS_URL).",
        discussion: "Services: " + ServiceName.allCases.map(\.rawValue).joined(separator: ", "))

    @Argument(help: "The service to run.") var name: ServiceName

    func run() async throws {
        let logger = Logs.bootstrap(default: .info)
        let configuration = try RuntimeConfiguration.fromEnvironment()
        guard configuration.databaseURL != nil, configuration.redisURL != nil else {
            throw ValidationError("a service on its own needs the distributed runtime: set DATABASE_URL and REDIS_URL")
        }
        // The gateway brings its Telegram front end; other services never send anything to people themselves.
        let telegram =
            name == .gateway ? TelegramFrontEnd(settings: try TelegramSettings.fromEnvironment(), logger: logger) : nil
        try await telegram?.connect()
        let runtime = try await SelfologyRuntime.prepare(
            configuration: configuration, content: try ContentLibrary.bundled(),
            transport: telegram?.transport ?? UndeliverableTransport(), logger: logger)
        var services = runtime.services(of: name)
        if let telegram { services.append(telegram.inbound(gateway: runtime.gateway)) }
        let group = runtime.makeServiceGroup(services, signals: [.sigterm, .sigint])
        logger.info("service started", metadata: ["service": "\(name.rawValue)"])
        try await group.run()
        try await runtime.close()
    }
}

extension ServiceName: ExpressibleByArgument {}

/// Used by services that are not the gateway: they queue no messages, so nothing ever reaches it.
struct UndeliverableTransport: ChatTransport {
    struct NoFrontEnd: Error, CustomStringConvertible {
        var description: String { "this process runs no front end; messages are delivered by the gateway service" }
    }

    func deliver(_ message: OutgoingMessage, to user: UserID) async throws { throw NoFrontEnd() }
}
