import Logging

/// swift-log's `StreamLogHandler`, with its metadata kept as a dictionary and rendered only for a line that is
/// written.
///
/// Why: `StreamLogHandler` renders all its metadata to text each time one key is set. PostgresNIO sets the
/// connection id on its logger for every statement, so on the distributed runtime that rendering, for lines
/// almost never written, was about 6% of the process's CPU.
public struct DeferredMetadataLogHandler: LogHandler {
    private var stream: StreamLogHandler
    public var metadata: Logger.Metadata = [:]

    public init(_ stream: StreamLogHandler) { self.stream = stream }

    /// Standard error, so logs never mix with the conversation on standard output.
    public static func standardError(label: String) -> Self { Self(StreamLogHandler.standardError(label: label)) }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        // The stream renders what it is given; a line's own metadata wins over the logger's, as in swift-log.
        if !metadata.isEmpty { event.metadata = metadata.merging(event.metadata ?? [:]) { $1 } }
        stream.log(event: event)
    }
}
