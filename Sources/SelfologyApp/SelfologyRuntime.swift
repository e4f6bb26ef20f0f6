import Foundation
import Logging
import SelfologyContent
import SelfologyCore
import SelfologyEmbedded
import SelfologyPostgres
import SelfologyServices
import ServiceLifecycle
import UnixSignals

/// All eight services in one process (`selfology chat`, `selfology serve`). The adapters come from configuration:
/// the embedded runtime by default (SQLite file, in-process bus: no keys, no servers, no network), PostgreSQL when
/// `DATABASE_URL` is set, Redis Streams when `REDIS_URL` is set.
public final class SelfologyRuntime: Sendable {
    public let database: any Database
    private let closeAdapters: @Sendable () async throws -> Void
    public let bus: any EventBus
    public let observer: any BusObserver
    /// The in-process bus, when that is the bus (tests use it to redeliver events; the benchmark to count them).
    public let inProcessBus: InProcessEventBus?
    public let gateway: Gateway
    public let relay: OutboxRelay
    public let dispatcher: MessageDispatcher
    public let consumers: [ConsumerRunner]
    public let timeoutMonitor: SessionTimeoutMonitor
    public let housekeeping: GatewayHousekeeping
    /// Services of the adapters themselves (the stream trimmer on Redis).
    let adapterServices: [any Service]
    let logger: Logger

    init(
        database: any Database, bus: any EventBus, observer: any BusObserver, inProcessBus: InProcessEventBus?,
        closeAdapters: @escaping @Sendable () async throws -> Void, gateway: Gateway, relay: OutboxRelay,
        dispatcher: MessageDispatcher, consumers: [ConsumerRunner], timeoutMonitor: SessionTimeoutMonitor,
        housekeeping: GatewayHousekeeping, adapterServices: [any Service], logger: Logger
    ) {
        self.database = database
        self.bus = bus
        self.observer = observer
        self.inProcessBus = inProcessBus
        self.closeAdapters = closeAdapters
        self.gateway = gateway
        self.relay = relay
        self.dispatcher = dispatcher
        self.consumers = consumers
        self.timeoutMonitor = timeoutMonitor
        self.housekeeping = housekeeping
        self.adapterServices = adapterServices
        self.logger = logger
    }

    /// Opens the store, applies migrations, mirrors the question bank and prepares the bus (on the in-process bus:
    /// puts back any event that was published but not applied when the process last stopped). Nothing runs until
    /// the service group does.
    public static func prepare(
        configuration: RuntimeConfiguration, content: ContentLibrary, transport: any ChatTransport,
        clock: any WallClock = SystemWallClock(), intelligence: Intelligences? = nil,
        logger: Logger = Logger(label: "selfology")
    ) async throws -> SelfologyRuntime {
        let (database, closeStore) = try await openStore(configuration, logger: logger)
        _ = try await Migrator.migrate(database)
        try await database.transaction { db in try await QuestionMetadata.sync(content.bank, in: db) }
        let bus = try await openBus(configuration, database: database, clock: clock, logger: logger)

        let ids = TimeOrderedIDGenerator(clock: clock)
        let factory = EventFactory(ids: ids, clock: clock)
        let outboxSignal = WakeSignal()
        let dispatchHandoff = DispatchHandoff()
        // On PostgreSQL this process's commits go straight to its relay, when it runs one. SQLite has one process
        // and one writer: there the relay's round costs no round trips to save.
        let handoff =
            database is PostgresDatabase
            ? RelayHandoff(lease: configuration.relay.handoffLease, next: bus.committed) : nil
        let committed = handoff ?? bus.committed
        let outbox = OutboxTransaction(
            database: database, factory: factory, outboxSignal: outboxSignal, committed: committed)
        let assembled: Intelligences
        if let intelligence {
            assembled = intelligence
        } else {
            assembled = try await AIAssembly.make(
                configuration: configuration.ai, content: content, database: database, logger: logger)
        }
        let safety = try configuration.safetyPolicy(content: content)
        let handlers = ServiceAssembly.handlers(
            content: content, configuration: configuration, ids: ids, handoff: dispatchHandoff, safety: safety,
            intelligence: assembled, database: database, logger: logger)
        return SelfologyRuntime(
            database: database, bus: bus.bus, observer: bus.observer, inProcessBus: bus.inProcess,
            closeAdapters: {
                try await assembled.shutdown()
                try await bus.close()
                try await closeStore()
            },
            gateway: Gateway(
                outbox: outbox, cache: bus.cache, transport: transport, handoff: dispatchHandoff,
                safety: safety, rateLimiter: bus.rateLimiter, logger: logger),
            relay: OutboxRelay(
                database: database, bus: bus.bus, clock: clock, signal: outboxSignal, committed: bus.kept,
                handoff: handoff, settings: configuration.relay, logger: logger),
            dispatcher: MessageDispatcher(
                database: database, transport: transport, clock: clock, handoff: dispatchHandoff,
                logger: logger),
            // On Redis a group's partitions are leased among its consumers, so several per process work side by side
            // and keep each person's order; the in-process bus has one consumer per group.
            consumers: handlers.flatMap { handler in
                (0..<(configuration.redisURL == nil ? 1 : configuration.consumers(of: handler.group))).map { _ in
                    ConsumerRunner(
                        handler: handler, bus: bus.bus, database: database, factory: factory,
                        outboxSignal: outboxSignal, committed: committed, consumerName: handler.group.rawValue,
                        settings: configuration.consumer, logger: logger)
                }
            },
            timeoutMonitor: SessionTimeoutMonitor(outbox: outbox, settings: configuration.session, logger: logger),
            housekeeping: GatewayHousekeeping(
                database: database, clock: clock, settings: configuration.housekeeping, logger: logger),
            adapterServices: bus.services + storeServices(database, relaySignal: outboxSignal, logger: logger),
            logger: logger)
    }

    public var services: [any Service] {
        [relay, dispatcher, timeoutMonitor, housekeeping] + consumers + adapterServices
    }

    /// Runs the services (all by default) until `group.triggerGracefulShutdown()` or cancellation.
    public func makeServiceGroup(_ services: [any Service]? = nil, signals: [UnixSignal] = []) -> ServiceGroup {
        ServiceGroup(
            configuration: .init(
                services: (services ?? self.services).map { .init(service: $0) }, gracefulShutdownSignals: signals,
                logger: logger))
    }

    /// Waits until nothing is in flight: no pending outbox row, no event on the bus, no undelivered message.
    /// Returns false if that did not happen within `timeout`.
    public func settle(timeout: Duration = .seconds(10)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        var quietChecks = 0
        while ContinuousClock.now < deadline {
            // The checks are not atomic: a consumer may commit new outbox rows and ack between reading the outbox
            // and reading the bus. The bus's quiet token, unchanged across the checks, rules that out.
            // A bus that cannot answer right now (a reconnecting Redis) is simply not quiet yet.
            let before = try? await observer.quietToken()
            let pending = try await database.read { db in try await OutboxStore.count(status: .pending, in: db) }
            let queued = try await dispatcher.queuedCount()
            let after = try? await observer.quietToken()
            let quiet = pending == 0 && queued == 0 && before != nil && before == after
            quietChecks = quiet ? quietChecks + 1 : 0
            if quietChecks >= 2 { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    public func close() async throws {
        try await closeAdapters()
    }

    /// The SQLite file, or PostgreSQL with its pool running until the store is closed.
    public static func openStore(_ configuration: RuntimeConfiguration, logger: Logger) async throws
        -> (any Database, @Sendable () async throws -> Void)
    {
        guard let url = configuration.databaseURL else {
            let sqlite = try await SQLiteDatabase.open(path: configuration.dataPath)
            return (sqlite, { try await sqlite.close() })
        }
        let postgres = PostgresDatabase(
            configuration: try PostgresURL(url), schema: configuration.postgresSchema,
            preparing: configuration.postgresPrepares, logger: logger)
        let pool = Task { await postgres.run() }
        try await postgres.createSchema()
        return (postgres, { pool.cancel() })
    }
}

extension SelfologyRuntime {
    /// What the store adds: on PostgreSQL, the LISTEN that wakes this process's relay for other processes' rows.
    static func storeServices(_ database: any Database, relaySignal: WakeSignal, logger: Logger) -> [any Service] {
        guard let postgres = database as? PostgresDatabase else { return [] }
        return [OutboxListener(database: postgres, signal: relaySignal, logger: logger)]
    }

    /// The parts that make up one service, for `selfology service <name>`: its consumer groups and its
    /// background tasks. Scaling a service means starting more processes of it.
    public func services(of service: ServiceName) -> [any Service] {
        let consumersOf = consumers.filter { $0.handler.group.service == service }
        switch service {
        case .gateway: return consumersOf + [dispatcher, housekeeping]
        case .sessionManagement: return consumersOf + [timeoutMonitor]
        case .outboxRelay: return [relay] + adapterServices
        default: return consumersOf
        }
    }
}
