/// Why a Qdrant call failed. Carries no payload, vector or key.
public enum QdrantError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Qdrant answered with a non-2xx status.
    case status(Int)
    /// The connection could not be made or broke.
    case transport(String)
    /// No answer within the call's timeout.
    case timedOut
    /// A 2xx answer that is not what the API documents.
    case malformed(String)

    public var description: String {
        switch self {
        case .status(let code): "Qdrant answered \(code)"
        case .transport(let reason): "Qdrant transport: \(reason)"
        case .timedOut: "Qdrant timed out"
        case .malformed(let reason): "Qdrant answer malformed: \(reason)"
        }
    }
}
