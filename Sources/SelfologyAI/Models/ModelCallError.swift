/// Why one model call failed, classified so the router can tell what is worth retrying. Never carries the
/// prompt, the answer, the key or the provider's free-text error message (it may quote the input).
public enum ModelCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No complete answer within the call's timeout (or the connection stalled).
    case timedOut
    /// HTTP 429. `retryAfter` from the `retry-after` header when present.
    case rateLimited(retryAfter: Duration?)
    /// The provider says it is overloaded (Anthropic 529 `overloaded_error`, HTTP 503).
    case overloaded(retryAfter: Duration?)
    /// Any other 5xx.
    case server(status: Int, type: String?)
    /// A 4xx other than 429: bad request, authentication, permission, not found. Retrying cannot help.
    case rejected(status: Int, type: String?)
    /// The connection could not be made or broke (refused, reset, DNS).
    case transport(String)
    /// A 2xx whose body is not what the API documents (missing fields, no choices, broken SSE).
    case malformedResponse(String)
    /// The model declined to answer (OpenAI `refusal`, a content filter stop).
    case refused

    public var isRetryable: Bool {
        switch self {
        case .timedOut, .rateLimited, .overloaded, .server, .transport: true
        case .rejected, .malformedResponse, .refused: false
        }
    }

    public var retryAfter: Duration? {
        switch self {
        case .rateLimited(let after), .overloaded(let after): after
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .timedOut: "timed out"
        case .rateLimited(let after): "rate limited" + (after.map { " (retry after \($0))" } ?? "")
        case .overloaded(let after): "overloaded" + (after.map { " (retry after \($0))" } ?? "")
        case .server(let status, let type): "server error \(status)" + (type.map { " \($0)" } ?? "")
        case .rejected(let status, let type): "rejected \(status)" + (type.map { " \($0)" } ?? "")
        case .transport(let reason): "transport: \(reason)"
        case .malformedResponse(let reason): "malformed response: \(reason)"
        case .refused: "refused"
        }
    }
}
