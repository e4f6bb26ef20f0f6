import Logging
import SelfologyTelegram
import ServiceLifecycle

/// Long polling: asks Telegram for updates, hands them to the front door, and confirms them (by asking from the
/// next id) only once they were handled, so an update is never lost to a crash. An update that failed is asked
/// for again after a pause; the ones handled beside it come back too and are recognised as seen.
struct TelegramPoller: Service {
    let api: TelegramBotAPI
    let frontDoor: TelegramFrontDoor
    /// Seconds Telegram holds a poll open when nothing is pending.
    let pollTimeout: Int
    let logger: Logger

    func run() async throws {
        var offset: Int?
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let (api, offsetNow, timeout) = (api, offset, pollTimeout)
                let updates = try await cancelWhenGracefulShutdown {
                    try await api.getUpdates(
                        offset: offsetNow, timeout: timeout, allowedUpdates: TelegramInbound.allowedUpdates)
                }
                failures = 0
                guard let last = updates.map(\.updateID).max() else { continue }
                let failed = await frontDoor.handle(updates)
                offset = failed.first ?? last + 1
                if !failed.isEmpty { try await pause(.seconds(1)) }
            } catch {
                // Shutting down cancels the poll in flight (the client reports it as `.cancelled`): not a failure.
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                failures += 1
                logger.warning("polling Telegram failed; retrying", metadata: ["error": "\(error)"])
                try? await pause(.seconds(min(30, 1 << min(failures - 1, 5))))
            }
        }
        // Confirm what was handled, so the next start is not handed it again (it would be ignored anyway).
        if let offset { _ = try? await api.getUpdates(offset: offset, timeout: 0, allowedUpdates: ["message"]) }
    }

    private func pause(_ duration: Duration) async throws {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }
}
