/// Escaping for `parse_mode` MarkdownV2. The bot sends plain text by default, which needs none; this is for text
/// placed inside MarkdownV2 markup.
public enum MarkdownV2 {
    /// The characters the Bot API documentation says must be escaped outside code entities, plus the backslash
    /// itself, which would otherwise escape the character after it.
    public static let reservedCharacters: Set<Unicode.Scalar> = [
        "_", "*", "[", "]", "(", ")", "~", "`", ">", "#", "+", "-", "=", "|", "{", "}", ".", "!", "\\",
    ]

    /// `text` with a backslash before every reserved character, so Telegram shows it exactly as written.
    /// Works on Unicode scalars, as Telegram's parser does: a reserved character followed by a combining mark is
    /// still escaped.
    public static func escape(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if reservedCharacters.contains(scalar) { escaped.append("\\") }
            escaped.append(scalar)
        }
        return String(escaped)
    }
}
