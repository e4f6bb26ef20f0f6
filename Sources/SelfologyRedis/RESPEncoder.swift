import NIOCore

/// Writes commands the way Redis expects them from clients: an array of bulk strings.
enum RESPEncoder {
    static func encode(_ command: [String], into buffer: inout ByteBuffer) {
        buffer.writeString("*\(command.count)\r\n")
        for argument in command {
            // The length is in bytes, not characters, so arguments with non-ASCII text stay in step.
            buffer.writeString("$\(argument.utf8.count)\r\n")
            buffer.writeString(argument)
            buffer.writeString("\r\n")
        }
    }
}
