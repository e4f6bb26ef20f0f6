import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SelfologyApp
import SelfologyTestSupport
import Synchronization

/// One request as a fake received it.
struct RecordedRequest: Sendable {
    let method: String
    /// Path and query, as sent: `/v1/chat/completions`, `/collections/c/points?wait=true`.
    let path: String
    /// Lower-cased names.
    let headers: [String: String]
    /// The body parsed as JSON; nil when empty or not JSON.
    let body: FakeJSON?

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// What every fake offers: start on a free loopback port, stop (releasing hanging requests).
protocol StartableFake: Sendable {
    func start() async throws
    func stop() async
}

/// The scaffolding shared by the fakes: a Hummingbird server on 127.0.0.1 at a free port, started and stopped
/// explicitly, that records every request and hands it to `handle`. Requests still waiting (`.hang`) are released
/// by `stop()`.
final class FakeServer: Sendable {
    typealias Handler = @Sendable (RecordedRequest) async -> Response

    private struct State {
        var server: LoopbackServer?
        var requests: [RecordedRequest] = []
        var stopped = false
        var handle: Handler?
    }

    private let state = Mutex(State())

    var port: Int { state.withLock { $0.server?.port ?? 0 } }
    var requests: [RecordedRequest] { state.withLock { $0.requests } }
    var isStopped: Bool { state.withLock { $0.stopped } }

    func start(handling handle: @escaping Handler) async throws {
        state.withLock { $0.handle = handle }
        let router = Router()
        router.on("**", method: .get) { request, _ in await self.receive(request) }
        router.on("**", method: .post) { request, _ in await self.receive(request) }
        router.on("**", method: .put) { request, _ in await self.receive(request) }
        let server = try await LoopbackServer.start(router, label: "fake-server")
        state.withLock { $0.server = server }
    }

    /// Stops the server; hanging requests are released first, so the graceful shutdown does not wait for them.
    func stop() async {
        let server = state.withLock { state -> LoopbackServer? in
            state.stopped = true
            return state.server
        }
        await server?.stop()
    }

    /// Sleeps until `stop()`; for `.hang` and stalled streams.
    func waitUntilStopped() async {
        while !isStopped {
            do { try await Task.sleep(for: .milliseconds(10)) } catch { return }
        }
    }

    private func receive(_ request: Request) async -> Response {
        let body = try? await request.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let recorded = RecordedRequest(
            method: request.method.rawValue, path: request.uri.description, headers: headers,
            body: body.flatMap { FakeJSON.parse(String(buffer: $0)) })
        let handle = state.withLock { state in
            state.requests.append(recorded)
            return state.handle
        }
        return await handle?(recorded) ?? Self.raw(503, "no handler", contentType: "text/plain")
    }

    // MARK: Building answers

    static func json(_ status: Int, _ value: FakeJSON, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(
            status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: value.text)))
    }

    static func raw(_ status: Int, _ body: String, contentType: String) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: contentType],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A `text/event-stream` answer: each frame is written (and flushed) on its own, `delay` apart; after the last
    /// one the stream either ends or, with `stallAtEnd`, stays open without sending anything until `stop()`.
    func eventStream(_ frames: [String], delay: Duration, stallAtEnd: Bool = false) -> Response {
        eventStream(bytes: frames.map { Array($0.utf8) }, delay: delay, stallAtEnd: stallAtEnd)
    }

    /// `text` written `chunkBytes` bytes at a time.
    func eventStream(_ text: String, chunkBytes: Int, delay: Duration) -> Response {
        let bytes = Array(text.utf8)
        let size = max(1, chunkBytes)
        let chunks = stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
        return eventStream(bytes: chunks, delay: delay, stallAtEnd: false)
    }

    private func eventStream(bytes frames: [[UInt8]], delay: Duration, stallAtEnd: Bool) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                for (index, frame) in frames.enumerated() {
                    if index > 0, delay > .zero { try await Task.sleep(for: delay) }
                    try await writer.write(ByteBuffer(bytes: frame))
                }
                if stallAtEnd { await self.waitUntilStopped() }
                try await writer.finish(nil)
            })
    }
}
