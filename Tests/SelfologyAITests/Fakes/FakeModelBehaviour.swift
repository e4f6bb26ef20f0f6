/// What a fake model server does with the next request. Each fake renders it in its own provider's wire format; a
/// streamed request (`"stream": true`) gets the same answer as server-sent events.
enum FakeModelBehaviour: Sendable {
    /// Answers `text`: the message content (OpenAI), a text block (Anthropic), or for a structured request on
    /// Anthropic a `tool_use` block whose input is `text` parsed as JSON. Streamed as a few pieces.
    case reply(String, usage: FakeUsage = .default)
    /// Streams exactly these pieces, `delayBetween` apart (a non-streamed request gets them joined).
    case stream([String], delayBetween: Duration = .zero, usage: FakeUsage = .default)
    /// Sends the response head and these pieces, then nothing more (the connection stays open) until `stop()`.
    case stall(after: [String])
    /// Waits, then does `then`.
    indirect case delay(Duration, then: FakeModelBehaviour)
    /// Never answers until `stop()`.
    case hang
    /// An error answer in the provider's documented shape: status, error `type`, and a `retry-after` header.
    case status(Int, errorType: String, retryAfter: String? = nil, message: String = "Something went wrong.")
    /// An error event in the middle of a stream, after `after` pieces (Anthropic `event: error`; OpenAI an `error`
    /// chunk). A non-streamed request gets `.status` with the matching code instead.
    case streamError(after: [String], errorType: String)
    /// Output that is not JSON for a structured request (Anthropic: a text block instead of the forced tool).
    case malformed
    /// The model declines: OpenAI `refusal`, Anthropic `stop_reason: "refusal"`.
    case refusal(String)
    /// A 200 `text/event-stream` body of exactly this text, written `chunkBytes` bytes at a time, `delayBetween`
    /// apart: small chunks split lines, CRLF pairs and UTF-8 characters.
    case rawEvents(String, chunkBytes: Int = 1 << 20, delayBetween: Duration = .milliseconds(2))
    /// Any status and body, e.g. a proxy's HTML error page or a 200 that is not JSON.
    case raw(status: Int, body: String, contentType: String = "text/html")
}

struct FakeUsage: Sendable, Equatable {
    var input: Int
    var output: Int

    static let `default` = FakeUsage(input: 17, output: 9)
}

/// The queue and fallback shared by the model fakes.
struct FakeModelScript: Sendable {
    var queue: [FakeModelBehaviour] = []
    var fallback: FakeModelBehaviour = .reply("ok")
    var responder: (@Sendable (RecordedRequest) -> FakeModelBehaviour?)?

    mutating func next(for request: RecordedRequest) -> FakeModelBehaviour {
        if !queue.isEmpty { return queue.removeFirst() }
        return responder?(request) ?? fallback
    }
}

/// Splits a reply into a few stream pieces the way servers do: roughly word-sized, never empty.
func streamPieces(of text: String) -> [String] {
    var pieces: [String] = []
    var current = ""
    for character in text {
        current.append(character)
        if character == " " || current.count >= 6 {
            pieces.append(current)
            current = ""
        }
    }
    if !current.isEmpty { pieces.append(current) }
    return pieces
}
