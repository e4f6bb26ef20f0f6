import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// One provider's HTTP plumbing: posts a JSON body, checks the status, reads bodies with a size cap, and maps every
/// failure through `ProviderFailure`. Callers wrap the whole exchange in `CallDeadline.run`.
struct ProviderHTTP: Sendable {
    let client: HTTPClient
    /// Only for cutting the key out of lower-layer error text; the headers are built by the caller.
    let key: APIKey?
    let maximumResponseBytes: Int

    /// POSTs `body` and returns the response once its status is 2xx; a non-2xx answer is read (capped) and thrown as
    /// the matching `ModelCallError`.
    func post(
        _ url: String, headers: HTTPHeaders, body: some Encodable, timeout: Duration
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.headers.replaceOrAdd(name: "content-type", value: "application/json")
        do {
            request.body = .bytes(try JSONEncoder().encodeAsByteBuffer(body, allocator: ByteBufferAllocator()))
        } catch {
            throw ModelCallError.malformedResponse("the request could not be encoded")
        }
        let response: HTTPClientResponse
        do {
            // AsyncHTTPClient's own deadline covers the response head (and, when it strikes while connecting, reports
            // why the connection failed); CallDeadline covers the rest.
            response = try await client.execute(request, timeout: TimeAmount(timeout), logger: Self.silent)
        } catch {
            throw ProviderFailure.classify(error, redactingWith: key)
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let body = try? await response.body.collect(upTo: Self.maximumErrorBodyBytes)
            throw ProviderFailure.classify(status: status, headers: response.headers, body: body)
        }
        return response
    }

    /// The whole body of a 2xx response, at most `maximumResponseBytes`.
    func collect(_ response: HTTPClientResponse) async throws -> ByteBuffer {
        do {
            return try await response.body.collect(upTo: maximumResponseBytes)
        } catch is NIOTooManyBytesError {
            throw ModelCallError.malformedResponse("response body over \(maximumResponseBytes) bytes")
        } catch {
            throw ProviderFailure.classify(error, redactingWith: key)
        }
    }

    /// The body's chunks as they arrive, failing once more than `maximumResponseBytes` came in total.
    func chunks(of response: HTTPClientResponse) -> CappedBody {
        CappedBody(body: response.body, limit: maximumResponseBytes, key: key)
    }

    /// Decodes a 2xx body, reporting only the JSON path of a mismatch (values may be model output).
    static func decode<Value: Decodable>(_ type: Value.Type, from body: ByteBuffer) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw ModelCallError.malformedResponse(DecodingSummary.of(error))
        }
    }

    /// An error body is only read for its `type`; no need for more.
    private static let maximumErrorBodyBytes = 64 << 10

    /// AsyncHTTPClient gets a logger that drops everything: its debug lines describe requests.
    static let silent = Logger(label: "selfology.ai.http", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// A streamed body with a total size cap and errors mapped to `ModelCallError`.
struct CappedBody: AsyncSequence {
    typealias Element = ByteBuffer
    let body: HTTPClientResponse.Body
    let limit: Int
    let key: APIKey?

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: HTTPClientResponse.Body.AsyncIterator
        let limit: Int
        let key: APIKey?
        var received = 0

        mutating func next() async throws -> ByteBuffer? {
            let chunk: ByteBuffer?
            do {
                chunk = try await base.next()
            } catch {
                throw ProviderFailure.classify(error, redactingWith: key)
            }
            guard let chunk else { return nil }
            received += chunk.readableBytes
            guard received <= limit else { throw ModelCallError.malformedResponse("stream over \(limit) bytes") }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: body.makeAsyncIterator(), limit: limit, key: key)
    }
}

/// One line about why a body did not decode: the kind of failure and the JSON path, never the values.
enum DecodingSummary {
    static func of(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not JSON" }
        switch error {
        case .typeMismatch(let type, let context): return "expected \(type) at \(path(context))"
        case .valueNotFound(let type, let context): return "missing \(type) value at \(path(context))"
        case .keyNotFound(let key, let context): return "missing key \(key.stringValue) at \(path(context))"
        case .dataCorrupted(let context): return "not JSON at \(path(context))"
        @unknown default: return "undecodable"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        return keys.isEmpty ? "top level" : keys.joined(separator: ".")
    }
}
