/// One dispatched server-sent event.
struct ServerSentEvent: Sendable, Equatable {
    /// `message` when the stream named no type.
    var type: String
    var data: String
    /// The last event ID seen so far in the stream (empty if none).
    var lastEventID: String
}

/// An incremental parser for `text/event-stream` per the WHATWG HTML standard (§9.2.6): lines end in CRLF, LF or
/// CR; `:` starts a comment; `data` lines are joined with LF; a blank line dispatches; an event with no data is not
/// dispatched; a stream that ends mid-event drops that event. Bytes are buffered per line and decoded only once the
/// line is complete, so chunk boundaries may split lines, CRLF pairs and UTF-8 characters anywhere. (`retry` is
/// ignored: these calls never reconnect.)
struct ServerSentEventParser: Sendable {
    struct LineTooLong: Error {}

    private let maximumLineBytes: Int
    private var line: [UInt8] = []
    private var lastByteWasCR = false
    private var atStreamStart = true
    private var eventType = ""
    private var data = ""
    private var hasData = false
    private var lastEventID = ""

    init(maximumLineBytes: Int = 1 << 20) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// Feeds the next bytes; returns the events they completed, in order.
    mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n") where lastByteWasCR:
                lastByteWasCR = false  // the LF of a CRLF: the line already ended at the CR
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                lastByteWasCR = byte == UInt8(ascii: "\r")
                if let event = endLine() { events.append(event) }
            default:
                lastByteWasCR = false
                guard line.count < maximumLineBytes else { throw LineTooLong() }
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if atStreamStart {
            atStreamStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }  // a leading BOM is not content
        }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value.removeFirst() }
        } else {
            field = text[...]
            value = ""
        }
        switch field {
        case "event": eventType = String(value)
        case "data":
            if hasData { data += "\n" }
            data += value
            hasData = true
        case "id" where !value.contains("\0"): lastEventID = String(value)
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            eventType = ""
            data = ""
            hasData = false
        }
        guard hasData else { return nil }
        return ServerSentEvent(type: eventType.isEmpty ? "message" : eventType, data: data, lastEventID: lastEventID)
    }
}
