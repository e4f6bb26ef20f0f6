import Testing

@testable import SelfologyAI

@Suite("Server-sent events parser")
struct ServerSentEventParserTests {
    private func events(_ chunks: [[UInt8]]) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        return try chunks.flatMap { try parser.feed($0) }
    }

    private func events(_ text: String) throws -> [ServerSentEvent] {
        try events([Array(text.utf8)])
    }

    @Test func readsTypeDataAndIDAndDispatchesOnABlankLine() throws {
        let parsed = try events("event: message_start\ndata: {\"a\":1}\nid: 7\n\ndata:second\n\n")
        #expect(
            parsed == [
                ServerSentEvent(type: "message_start", data: #"{"a":1}"#, lastEventID: "7"),
                ServerSentEvent(type: "message", data: "second", lastEventID: "7"),
            ])
    }

    @Test func joinsDataLinesWithLineFeedsAndKeepsAnEmptyDataLine() throws {
        #expect(try events("data: one\ndata:\ndata:  three\n\n").map(\.data) == ["one\n\n three"])
        #expect(try events("data\n\n").map(\.data) == [""])
    }

    @Test func skipsCommentsUnknownFieldsAndEventsWithoutData() throws {
        let parsed = try events(": ping\nretry: 100\nfoo: bar\n\nevent: lonely\n\ndata: x\n\n")
        #expect(parsed == [ServerSentEvent(type: "message", data: "x", lastEventID: "")])
    }

    @Test func acceptsCRLFAndBareCRLineEndings() throws {
        #expect(try events("data: a\r\n\r\ndata: b\r\rdata: c\n\n").map(\.data) == ["a", "b", "c"])
    }

    @Test func dropsAnEventTheStreamEndsInTheMiddleOf() throws {
        #expect(try events("data: done\n\ndata: cut off\n").map(\.data) == ["done"])
    }

    @Test func ignoresAnIDContainingNULAndStripsALeadingBOM() throws {
        let parsed = try events([[0xEF, 0xBB, 0xBF] + Array("id: 1\ndata: a\n\nid: 2\u{0}x\ndata: b\n\n".utf8)])
        #expect(parsed.map(\.lastEventID) == ["1", "1"])
        #expect(parsed.first?.data == "a")
    }

    @Test func everySplitOfTheBytesGivesTheSameEvents() throws {
        let text = "event: delta\r\ndata: Тёплый ☀️ день\r\n\r\n: c\n\ndata: {\"k\": \"ü\"}\n\n"
        let bytes = Array(text.utf8)
        let whole = try events(text)
        #expect(whole.map(\.data) == ["Тёплый ☀️ день", #"{"k": "ü"}"#])
        for cut in 1..<bytes.count {
            #expect(try events([Array(bytes[..<cut]), Array(bytes[cut...])]) == whole, "cut at \(cut)")
        }
        #expect(try events(bytes.map { [$0] }) == whole, "one byte at a time")
    }

    @Test func refusesALineLongerThanTheLimit() {
        var parser = ServerSentEventParser(maximumLineBytes: 8)
        #expect(throws: ServerSentEventParser.LineTooLong.self) { try parser.feed(Array("data: 123456789".utf8)) }
    }
}
