import SelfologyCore

/// What an analyser prepared for one answer before the transaction: the model calls it made and the events that
/// announce the result.
protocol PreparedAnalysis: Sendable {
    var usage: [ModelUsage] { get }
    func announce(for user: UserID, in context: HandlerContext) throws
}

extension EventHandler {
    /// Announces each answer's prepared analysis and records the batch's model calls in one statement. An analysis
    /// is computed here only when a caller skipped `prepare`; `analyze` answers nil when there is nothing to
    /// analyse.
    func announceAnalyses<Prepared: PreparedAnalysis>(
        of batch: [BatchItem], analyze: (EventEnvelope) async throws -> Prepared?
    ) async throws {
        guard let first = batch.first?.context else { return }
        var usage: [(user: UserID, usage: ModelUsage)] = []
        for (event, context) in batch {
            var prepared = context.prepared as? Prepared
            if prepared == nil { prepared = try await analyze(event) }
            guard let prepared else { continue }
            usage += prepared.usage.map { (event.userID, $0) }
            try prepared.announce(for: event.userID, in: context)
        }
        try await UsageStore.record(usage, now: first.now, in: first.db)
    }
}
