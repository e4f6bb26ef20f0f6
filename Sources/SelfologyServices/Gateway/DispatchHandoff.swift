/// Messages this process queued, handed to its dispatcher after their transaction committed, with their ids: the
/// dispatcher delivers them without reading the queue. Reading it after every commit was about five reads per
/// answer, each listing again the messages already in hand, and the costliest statement on PostgreSQL at full
/// load (a seventh of its time).
///
/// The queue is still read when the dispatcher starts (messages left by a crash or a restart), on its poll, and
/// whenever a handed message cannot go at once without risking a person's order (see `MessageDispatcher`). Only
/// one process runs the gateway, so every message queued while its dispatcher runs is handed to it.
public final class DispatchHandoff: Sendable {
    let messages = Handover<GatewayStore.Queued>()

    public init() {}

    /// Called after the commit that queued `queued`; dropped while no dispatcher runs here.
    func hand(_ queued: [GatewayStore.Queued]) { messages.hand(queued) }

    /// Asks the dispatcher to read the queue.
    func requestRead() { messages.requestLook() }
}
