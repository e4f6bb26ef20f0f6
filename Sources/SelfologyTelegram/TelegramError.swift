/// Everything a Bot API call can fail with. No case ever carries the bot token or a request URL (the URL contains
/// the token): descriptions are Telegram's own text or a transport error's text with the token removed.
public enum TelegramError: Error, Sendable, Hashable {
    /// Telegram answered `ok: false`. `retryAfter` is set for flood control (429), `migrateToChatID` when a group
    /// became a supergroup.
    case api(code: Int, description: String, retryAfter: Int? = nil, migrateToChatID: Int64? = nil)
    /// The request did not get an answer: connection refused or reset, TLS, timeout.
    case transport(String)
    /// Telegram answered something this client cannot read.
    case decoding(String)
    /// The circuit breaker is open after repeated transport or server failures; no request was sent.
    case circuitOpen
    /// The calling task was cancelled.
    case cancelled

    /// Worth sending again later: flood control, server errors, transport failures, an open breaker. Everything else
    /// (bad request, bot blocked, unauthorized) fails the same way again.
    public var isRetryable: Bool {
        switch self {
        case .api(let code, _, _, _): code == 429 || code >= 500
        case .transport, .circuitOpen: true
        case .decoding, .cancelled: false
        }
    }

    /// Seconds Telegram asked to wait before repeating the request (flood control), if it did.
    public var retryAfter: Int? {
        guard case .api(_, _, let retryAfter, _) = self else { return nil }
        return retryAfter
    }

    /// A failure of the server or the way to it, as opposed to an answer about the request: what the circuit
    /// breaker counts.
    var isServerFailure: Bool {
        switch self {
        case .api(let code, _, _, _): code >= 500
        case .transport: true
        case .decoding, .circuitOpen, .cancelled: false
        }
    }
}
