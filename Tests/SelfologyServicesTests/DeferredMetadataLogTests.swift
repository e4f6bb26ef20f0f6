import Logging
import SelfologyApp
import Synchronization
import Testing

/// The process's log handler writes what swift-log's stream handler writes, though it renders metadata later.
@Suite struct DeferredMetadataLogTests {
    /// A stream that keeps what is written to it.
    final class Lines: TextOutputStream, Sendable {
        private let text = Mutex("")
        var written: String { text.withLock { $0 } }
        func write(_ string: String) { text.withLock { $0 += string } }
    }

    func logger(writingTo lines: Lines) -> Logger {
        Logger(label: "test") { label in
            var handler = DeferredMetadataLogHandler(
                StreamLogHandler(label: label, stream: lines, metadataProvider: nil))
            handler.logLevel = .info
            return handler
        }
    }

    @Test func writesTheLoggersMetadataWithTheLinesOwnWinning() {
        let lines = Lines()
        var logger = logger(writingTo: lines)
        logger[metadataKey: "connection"] = "7"
        logger[metadataKey: "group"] = "gateway"
        logger.info("applied", metadata: ["group": "profiles", "events": "3"])
        let line = lines.written
        #expect(line.contains("connection=7"))
        #expect(line.contains("events=3"))
        #expect(line.contains("group=profiles"))
        #expect(!line.contains("group=gateway"))
        #expect(line.hasSuffix("applied\n"))
    }

    @Test func keepsLevelAndLeavesOutRemovedKeys() {
        let lines = Lines()
        var logger = logger(writingTo: lines)
        logger[metadataKey: "connection"] = "7"
        logger[metadataKey: "connection"] = nil
        logger.debug("below the level")
        logger.warning("kept")
        #expect(logger.logLevel == .info)
        #expect(!lines.written.contains("below the level"))
        #expect(lines.written.contains("warning test: [SelfologyServicesTests] kept"))
        #expect(!lines.written.contains("connection"))
    }
}
