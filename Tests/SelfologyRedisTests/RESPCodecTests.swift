import NIOCore
import Testing

@testable import SelfologyRedis

@Suite("RESP codec")
struct RESPCodecTests {
    @Test func encodesACommandAsAnArrayOfBulkStringsWithByteLengths() {
        var buffer = ByteBuffer()
        RESPEncoder.encode(["SET", "key", "héllo", ""], into: &buffer)
        #expect(String(buffer: buffer) == "*4\r\n$3\r\nSET\r\n$3\r\nkey\r\n$6\r\nhéllo\r\n$0\r\n\r\n")
    }

    @Test(arguments: [
        ("+OK\r\n", RESPValue.simpleString("OK")),
        ("-ERR unknown command\r\n", .error("ERR unknown command")),
        (":-42\r\n", .integer(-42)),
        ("$5\r\nhello\r\n", .bulkString(Array("hello".utf8))),
        ("$4\r\na\r\nb\r\n", .bulkString(Array("a\r\nb".utf8))),
        ("$0\r\n\r\n", .bulkString([])),
        ("$-1\r\n", .bulkString(nil)),
        ("*0\r\n", .array([])),
        ("*-1\r\n", .array(nil)),
        (
            "*3\r\n*2\r\n:1\r\n$-1\r\n*-1\r\n+x\r\n",
            .array([.array([.integer(1), .bulkString(nil)]), .array(nil), .simpleString("x")])
        ),
    ])
    func decodesEveryReplyType(frame: String, expected: RESPValue) throws {
        var buffer = ByteBuffer(string: frame)
        #expect(try RESPParser.parse(&buffer) == expected)
        #expect(buffer.readableBytes == 0)
    }

    @Test func decodesAReplyFedOneByteAtATime() throws {
        let frame = Array("*2\r\n$3\r\nfoo\r\n*2\r\n:7\r\n-ERR no\r\n".utf8)
        var buffer = ByteBuffer()
        for (offset, byte) in frame.enumerated() {
            buffer.writeInteger(byte)
            let reply = try RESPParser.parse(&buffer)
            if offset < frame.count - 1 {
                #expect(reply == nil, "complete after only \(offset + 1) bytes")
                #expect(buffer.readableBytes == offset + 1, "consumed part of an incomplete reply")
            } else {
                #expect(reply == .array([.bulkString(Array("foo".utf8)), .array([.integer(7), .error("ERR no")])]))
            }
        }
        #expect(buffer.readableBytes == 0)
    }

    @Test func decodesTwoRepliesFromOneBufferAndLeavesAPartialThird() throws {
        var buffer = ByteBuffer(string: ":1\r\n$2\r\nok\r\n+PAR")
        #expect(try RESPParser.parse(&buffer) == .integer(1))
        #expect(try RESPParser.parse(&buffer) == .bulkString(Array("ok".utf8)))
        #expect(try RESPParser.parse(&buffer) == nil)
        #expect(String(buffer: buffer) == "+PAR")
    }

    @Test(arguments: ["?what\r\n", ":12abc\r\n", "$3\r\nabcXY", "+OK\rX", "*-2\r\n", "$-5\r\n", "*1\r\n!\r\n"])
    func rejectsAMalformedFrame(frame: String) {
        var buffer = ByteBuffer(string: frame)
        #expect {
            try RESPParser.parse(&buffer)
        } throws: { error in
            guard case .protocolViolation = error as? RedisError else { return false }
            return true
        }
    }

    @Test func rejectsArraysNestedBeyondTheLimit() {
        var buffer = ByteBuffer(string: String(repeating: "*1\r\n", count: RESPParser.maximumNesting + 1) + ":1\r\n")
        #expect(throws: RedisError.self) { try RESPParser.parse(&buffer) }
    }

    @Test func helpersReadTheValueTheirNameSays() {
        #expect(RESPValue.simpleString("PONG").string == "PONG")
        #expect(RESPValue.bulkString(Array("héllo".utf8)).string == "héllo")
        #expect(RESPValue.bulkString(nil).string == nil)
        #expect(RESPValue.integer(3).string == nil)
        #expect(RESPValue.integer(3).int == 3)
        #expect(RESPValue.simpleString("3").int == nil)
        #expect(RESPValue.array([.integer(1)]).array == [.integer(1)])
        #expect(RESPValue.array(nil).array == nil)
        #expect(RESPValue.array(nil).isNull)
        #expect(RESPValue.bulkString(nil).isNull)
        #expect(!RESPValue.bulkString([]).isNull)
        #expect(!RESPValue.array([]).isNull)
    }

    @Test(arguments: [
        (Duration.zero, 0), (.milliseconds(250), 250), (.microseconds(1), 1), (.seconds(2) + .microseconds(1500), 2002),
        (.milliseconds(-5), 0),
    ])
    func durationsBecomeMillisecondsRoundedUp(duration: Duration, milliseconds: Int) {
        #expect(duration.wholeMillisecondsRoundedUp == milliseconds)
    }
}
