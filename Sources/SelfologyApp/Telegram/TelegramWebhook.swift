import Foundation
import Hummingbird
import Logging
import SelfologyTelegram

/// The webhook endpoint: Telegram POSTs each update with the secret it was given in `setWebhook`. A request
/// without that secret is refused and changes nothing; an update that could not be handled answers 500, so
/// Telegram delivers it again (and a repeat of one that was handled is recognised as seen).
enum TelegramWebhook {
    static let secretHeader = "x-telegram-bot-api-secret-token"

    static func application(
        frontDoor: TelegramFrontDoor, secret: String, path: String, host: String, port: Int, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.post(RouterPath(path)) { request, _ -> Response in
            let given = request.headers.first { $0.name.canonicalName == secretHeader }?.value
            guard let given, constantTimeEqual(given, secret) else {
                logger.warning("webhook request without the right secret refused")
                return Response(status: .unauthorized)
            }
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let update = try? JSONDecoder().decode(Update.self, from: Data(buffer: body)) else {
                return Response(status: .badRequest)
            }
            let failed = await frontDoor.handle([update])
            return Response(status: failed.isEmpty ? .ok : .internalServerError)
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
    }

    /// Compares without stopping at the first difference, so response times do not reveal the secret.
    static func constantTimeEqual(_ given: String, _ expected: String) -> Bool {
        let (a, b) = (Array(given.utf8), Array(expected.utf8))
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
