import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import SelfologyResilience

/// A Bot API client: each method is a POST of a JSON body to `<baseURL>/bot<token>/<method>`, answered by
/// Telegram's `{"ok":…}` envelope. The token is in every URL, so no URL is ever logged or put into an error, and
/// lower-layer error text has the token cut out. Message text is never logged either.
///
/// AsyncHTTPClient records the request URL in tracing spans when a tracer is bootstrapped: give such a process an
/// `HTTPClient` whose `configuration.tracing.tracer` is nil.
public struct TelegramBotAPI: Sendable {
    public struct Configuration: Sendable {
        /// Tests point this at a local fake; a self-hosted Bot API server would go here too.
        public var baseURL: String
        /// The HTTP deadline of every call but `getUpdates`.
        public var requestTimeout: Duration
        /// Added to a long poll's `timeout` for its HTTP deadline, so a poll that Telegram answers on time is never
        /// cut off by the client.
        public var longPollGrace: Duration
        public var maximumResponseBytes: Int

        public init(
            baseURL: String = "https://api.telegram.org", requestTimeout: Duration = .seconds(30),
            longPollGrace: Duration = .seconds(15), maximumResponseBytes: Int = 16 << 20
        ) {
            self.baseURL = baseURL
            self.requestTimeout = requestTimeout
            self.longPollGrace = longPollGrace
            self.maximumResponseBytes = maximumResponseBytes
        }
    }

    let configuration: Configuration
    private let token: BotToken
    private let httpClient: HTTPClient
    private let breaker: CircuitBreaker?
    private let logger: Logger

    /// `breaker` nil calls Telegram whatever happened before.
    public init(
        token: BotToken, httpClient: HTTPClient = .shared, configuration: Configuration = Configuration(),
        breaker: CircuitBreaker? = TelegramBotAPI.defaultBreaker(),
        logger: Logger = Logger(label: "selfology.telegram")
    ) {
        self.token = token
        self.httpClient = httpClient
        self.configuration = configuration
        self.breaker = breaker
        self.logger = logger
    }

    /// After 5 consecutive server or transport failures calls fail fast for 30 s; then one trial call is let
    /// through, and its success closes the breaker.
    public static func defaultBreaker() -> CircuitBreaker {
        CircuitBreaker(settings: .init(failureThreshold: 5, openInterval: .seconds(30), halfOpenTrials: 1))
    }

    /// Calls `method` with `body` as JSON, through the circuit breaker, and returns the envelope's `result`.
    func call<Body: Encodable & Sendable, Value: Decodable & Sendable>(
        _ method: String, _ body: Body, timeout: Duration? = nil
    ) async throws(TelegramError) -> Value {
        let encoded: ByteBuffer
        do {
            encoded = try JSONEncoder().encodeAsByteBuffer(body, allocator: ByteBufferAllocator())
        } catch {
            throw .decoding("\(method): the request could not be encoded")
        }
        return try await call(method, RequestBody(contentType: "application/json", bytes: encoded), timeout: timeout)
    }

    /// A request's body and its content type: JSON for most methods, multipart/form-data for a file.
    struct RequestBody: Sendable {
        let contentType: String
        let bytes: ByteBuffer
    }

    /// Calls `method` with an encoded body, through the circuit breaker, and returns the envelope's `result`.
    func call<Value: Decodable & Sendable>(
        _ method: String, _ body: RequestBody, timeout: Duration? = nil
    ) async throws(TelegramError) -> Value {
        guard breaker?.permitsCall() ?? true else {
            logger.debug("Telegram call not sent: circuit open", metadata: ["telegram.method": "\(method)"])
            throw .circuitOpen
        }
        let started = ContinuousClock.now
        do {
            let value: Value = try await perform(method, body, timeout: timeout ?? configuration.requestTimeout)
            breaker?.recordSuccess()
            logger.debug(
                "Telegram call succeeded",
                metadata: ["telegram.method": "\(method)", "telegram.elapsed": "\(ContinuousClock.now - started)"]
            )
            return value
        } catch {
            record(error)
            logger.debug(
                "Telegram call failed",
                metadata: [
                    "telegram.method": "\(method)", "telegram.elapsed": "\(ContinuousClock.now - started)",
                    "telegram.error": "\(error)",
                ]
            )
            throw error
        }
    }

    /// A server or transport failure counts against the breaker; any answer about the request itself (a 4xx)
    /// shows the server is up.
    private func record(_ error: TelegramError) {
        if error.isServerFailure {
            breaker?.recordFailure()
        } else if case .api = error {
            breaker?.recordSuccess()
        }
    }

    private func perform<Value: Decodable & Sendable>(
        _ method: String, _ body: RequestBody, timeout: Duration
    ) async throws(TelegramError) -> Value {
        var request = HTTPClientRequest(url: url(of: method))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: body.contentType)
        request.body = .bytes(body.bytes)

        let status: (code: Int, reason: String)
        let payload: ByteBuffer
        do {
            // AsyncHTTPClient gets a logger that drops everything: its debug lines quote the URL.
            let response = try await httpClient.execute(request, timeout: TimeAmount(timeout), logger: Self.silent)
            status = (Int(response.status.code), response.status.reasonPhrase)
            payload = try await response.body.collect(upTo: configuration.maximumResponseBytes)
        } catch {
            if Task.isCancelled { throw .cancelled }
            throw .transport(token.redacting(String(describing: error)))
        }
        return try decode(method, payload, status: status)
    }

    private func decode<Value: Decodable & Sendable>(
        _ method: String, _ payload: ByteBuffer, status: (code: Int, reason: String)
    ) throws(TelegramError) -> Value {
        let envelope: TelegramResponse<Value>
        do {
            envelope = try JSONDecoder().decode(TelegramResponse<Value>.self, from: payload)
        } catch {
            // A proxy in front of Telegram answers 502/503/504 with an HTML page: that is a server failure.
            if status.code >= 500 { throw .api(code: status.code, description: status.reason) }
            throw .decoding("\(method): \(DecodingFailure.summary(of: error))")
        }
        if envelope.ok {
            guard let result = envelope.result else { throw .decoding("\(method): ok without a result") }
            return result
        }
        throw .api(
            code: envelope.errorCode ?? status.code,
            description: token.redacting(envelope.description ?? status.reason),
            retryAfter: envelope.parameters?.retryAfter,
            migrateToChatID: envelope.parameters?.migrateToChatID
        )
    }

    private func url(of method: String) -> String {
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/bot\(token.secret)/\(method)"
    }

    private static let silent = Logger(label: "selfology.telegram.http", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// Dumping or printing the client shows its base URL only: the HTTP client behind it holds the URLs, with the token,
/// of requests in flight.
extension TelegramBotAPI: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(self, children: ["baseURL": configuration.baseURL])
    }
}
