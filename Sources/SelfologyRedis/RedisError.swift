/// Everything the client throws. The cases carry no command arguments or passwords, so they are safe to log.
public enum RedisError: Error, Equatable, CustomStringConvertible {
    /// The configuration URL could not be used; the text says which part is wrong.
    case invalidURL(String)
    /// Redis answered with an error reply, for example `WRONGTYPE Operation against a key holding the wrong kind of value`.
    case server(String)
    /// No reply arrived within the call's timeout (or connecting took longer than the connect timeout).
    case timeout
    /// The connection was closed or could not be opened before the reply arrived.
    case connectionClosed
    /// The server sent bytes that are not RESP2, or a reply of a shape the command does not allow.
    case protocolViolation(String)
    /// The client was closed.
    case poolClosed

    public var description: String {
        switch self {
        case .invalidURL(let reason): "invalid Redis URL: \(reason)"
        case .server(let message): "Redis error: \(message)"
        case .timeout: "Redis call timed out"
        case .connectionClosed: "Redis connection closed"
        case .protocolViolation(let detail): "Redis protocol violation: \(detail)"
        case .poolClosed: "Redis client is closed"
        }
    }
}
