import NIOCore

/// Parses RESP2 replies out of a buffer. A reply is consumed only once all of its bytes are there; until then
/// nothing is consumed, so a reply split across TCP reads is parsed again when the rest has arrived.
enum RESPParser {
    /// Redis replies nest a few levels at most (XAUTOCLAIM: four); a deeper frame is garbage, and refusing it keeps
    /// a broken peer from exhausting the stack.
    static let maximumNesting = 32
    /// Status, error and integer lines are short; a line this long without CRLF means the stream is out of step.
    static let maximumLineLength = 64 * 1024
    /// Redis' own default `proto-max-bulk-len`.
    static let maximumBulkLength = 512 * 1024 * 1024

    /// Returns the next complete reply and consumes its bytes, or `nil`, consuming nothing, when more bytes are needed.
    static func parse(_ buffer: inout ByteBuffer) throws(RedisError) -> RESPValue? {
        var index = buffer.readerIndex
        guard let value = try value(in: buffer, at: &index, depth: 0) else { return nil }
        buffer.moveReaderIndex(to: index)
        return value
    }

    private static func value(in buffer: ByteBuffer, at index: inout Int, depth: Int) throws(RedisError) -> RESPValue? {
        guard let type = buffer.getInteger(at: index, as: UInt8.self) else { return nil }
        var cursor = index + 1
        guard let line = try line(in: buffer, at: &cursor) else { return nil }

        let value: RESPValue
        switch type {
        case UInt8(ascii: "+"):
            value = .simpleString(line)
        case UInt8(ascii: "-"):
            value = .error(line)
        case UInt8(ascii: ":"):
            value = .integer(try integer(line))
        case UInt8(ascii: "$"):
            guard let bulk = try bulkString(in: buffer, length: try integer(line), at: &cursor) else { return nil }
            value = bulk
        case UInt8(ascii: "*"):
            guard let array = try array(in: buffer, count: try integer(line), at: &cursor, depth: depth) else {
                return nil
            }
            value = array
        default:
            throw .protocolViolation("unexpected type byte \(type)")
        }
        index = cursor
        return value
    }

    private static func bulkString(in buffer: ByteBuffer, length: Int, at cursor: inout Int) throws(RedisError)
        -> RESPValue?
    {
        if length == -1 { return .bulkString(nil) }
        guard (0...maximumBulkLength).contains(length) else {
            throw .protocolViolation("bulk string length \(length)")
        }
        guard let bytes = buffer.getBytes(at: cursor, length: length),
            let terminator = buffer.getInteger(at: cursor + length, as: UInt16.self)
        else { return nil }
        guard terminator == crlf else { throw .protocolViolation("bulk string not terminated by CRLF") }
        cursor += length + 2
        return .bulkString(bytes)
    }

    private static func array(
        in buffer: ByteBuffer, count: Int, at cursor: inout Int, depth: Int
    ) throws(RedisError) -> RESPValue? {
        if count == -1 { return .array(nil) }
        guard count >= 0 else { throw .protocolViolation("array length \(count)") }
        guard depth < maximumNesting else { throw .protocolViolation("arrays nested deeper than \(maximumNesting)") }
        var elements: [RESPValue] = []
        // The count comes from the peer: reserve only what a sane reply could need before its elements arrive.
        elements.reserveCapacity(min(count, 1024))
        for _ in 0..<count {
            guard let element = try value(in: buffer, at: &cursor, depth: depth + 1) else { return nil }
            elements.append(element)
        }
        return .array(elements)
    }

    /// Reads up to CRLF from `cursor` and moves past it; `nil` when the CRLF has not arrived yet.
    private static func line(in buffer: ByteBuffer, at cursor: inout Int) throws(RedisError) -> String? {
        guard let rest = buffer.viewBytes(at: cursor, length: buffer.writerIndex - cursor) else { return nil }
        guard let carriageReturn = rest.firstIndex(of: UInt8(ascii: "\r")) else {
            if rest.count > maximumLineLength {
                throw .protocolViolation("line longer than \(maximumLineLength) bytes")
            }
            return nil
        }
        guard let next = buffer.getInteger(at: carriageReturn + 1, as: UInt8.self) else { return nil }
        guard next == UInt8(ascii: "\n") else { throw .protocolViolation("CR not followed by LF") }
        let text = buffer.getString(at: cursor, length: carriageReturn - cursor) ?? ""
        cursor = carriageReturn + 2
        return text
    }

    private static func integer(_ line: String) throws(RedisError) -> Int {
        guard let value = Int(line) else { throw .protocolViolation("not an integer: \(line.prefix(32))") }
        return value
    }

    private static let crlf = UInt16(UInt8(ascii: "\r")) << 8 | UInt16(UInt8(ascii: "\n"))
}

/// Puts the parser into a NIO pipeline: turns inbound bytes into `RESPValue`s.
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try RESPParser.parse(&buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(value))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        try self.decode(context: context, buffer: &buffer)
    }
}
