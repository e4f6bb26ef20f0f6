import Logging
import NIOCore

/// Runs a streamed call in its own task and hands its pieces to an `AsyncThrowingStream`: the whole stream is bound
/// by the call's timeout, and the task is cancelled as soon as the consumer stops listening or is cancelled.
enum PieceStream {
    typealias Yield = @Sendable (StreamPiece) -> Void

    static func run(
        id: ModelID, logger: Logger, timeout: Duration,
        _ produce: @escaping @Sendable (_ yield: @escaping Yield) async throws -> Void
    ) -> AsyncThrowingStream<StreamPiece, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: StreamPiece.self)
        let task = Task {
            do {
                try await ModelCallLog.around(id, logger) {
                    try await CallDeadline.run(timeout) {
                        try await produce { continuation.yield($0) }
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

extension ServerSentEventParser {
    /// Feeds one body chunk; an over-long line is a malformed stream.
    mutating func feed(_ chunk: ByteBuffer) throws -> [ServerSentEvent] {
        do {
            return try feed(chunk.readableBytesView)
        } catch {
            throw ModelCallError.malformedResponse("event stream line too long")
        }
    }
}
