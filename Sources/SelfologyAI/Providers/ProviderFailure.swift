import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Turns what a provider answered (or failed to answer) into a `ModelCallError`, the same way for OpenAI, compatible
/// servers and Anthropic. Only the HTTP status, the `retry-after` headers and the error body's machine-readable
/// `type`/`code` are kept; the body's free-text `message` is never read (it may quote the prompt).
enum ProviderFailure {
    /// A non-2xx answer.
    static func classify(status: Int, headers: HTTPHeaders, body: ByteBuffer?) -> ModelCallError {
        classify(status: status, type: body.flatMap(errorType(in:)), retryAfter: retryAfter(in: headers))
    }

    static func classify(status: Int, type: String?, retryAfter: Duration?) -> ModelCallError {
        if status == 429 { return .rateLimited(retryAfter: retryAfter) }
        if status == 529 || status == 503 || type == "overloaded_error" { return .overloaded(retryAfter: retryAfter) }
        if status >= 500 { return .server(status: status, type: type) }
        if status >= 400 { return .rejected(status: status, type: type) }
        return .malformedResponse("unexpected HTTP status \(status)")
    }

    /// An error reported inside a 200 event stream (Anthropic's `error` event, an OpenAI chunk with `error`): mapped
    /// through the HTTP status the same error type has outside a stream.
    static func classifyStreamError(type: String?) -> ModelCallError {
        let type = type.flatMap(sanitized)
        return classify(status: type.flatMap { statusOfErrorType[$0] } ?? 500, type: type, retryAfter: nil)
    }

    /// Anthropic's documented error types and their statuses; OpenAI's `server_error` and unknown types count as 500.
    private static let statusOfErrorType: [String: Int] = [
        "invalid_request_error": 400, "authentication_error": 401, "billing_error": 402, "permission_error": 403,
        "not_found_error": 404, "request_too_large": 413, "rate_limit_error": 429, "rate_limit_exceeded": 429,
        "api_error": 500, "overloaded_error": 529,
    ]

    /// A failure below HTTP: connection refused or reset, deadline, TLS. Cancellation stays `CancellationError`.
    static func classify(_ error: any Error, redactingWith key: APIKey?) -> any Error {
        if let error = error as? ModelCallError { return error }
        if error is CancellationError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .getConnectionFromPoolTimeout, .writeTimeout:
                return ModelCallError.timedOut
            case .cancelled:
                return CancellationError()
            default:
                break
            }
        }
        return ModelCallError.transport(key.redacting(String(String(describing: error).prefix(200))))
    }

    /// `error.type` (both providers' error bodies), else OpenAI's `error.code`.
    static func errorType(in body: ByteBuffer) -> String? {
        guard let envelope = try? JSONDecoder().decode(ErrorEnvelope.self, from: body) else { return nil }
        return (envelope.error?.type ?? envelope.error?.code).flatMap(sanitized)
    }

    /// Error types are identifiers; anything else (a server putting prose there) is dropped rather than carried.
    private static func sanitized(_ type: String) -> String? {
        let allowed = type.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "_-.".unicodeScalars
                    .contains($0)
        }
        return allowed && !type.isEmpty && type.count <= 64 ? type : nil
    }

    private struct ErrorEnvelope: Decodable {
        struct Detail: Decodable {
            let type: String?
            let code: String?

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                type = try? container.decodeIfPresent(String.self, forKey: .type)
                // OpenAI sends `code` as a string or null; some compatible servers send a number.
                code = try? container.decodeIfPresent(String.self, forKey: .code)
            }

            private enum CodingKeys: String, CodingKey { case type, code }
        }
        let error: Detail?
    }
}
