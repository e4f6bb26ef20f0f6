/// One line about why an answer did not decode: the kind of failure and the JSON path, without the values (a value
/// could be a person's message text, which is never logged).
enum DecodingFailure {
    static func summary(of error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not JSON" }
        switch error {
        case .typeMismatch(let type, let context): return "expected \(type) at \(path(context))"
        case .valueNotFound(let type, let context): return "missing \(type) value at \(path(context))"
        case .keyNotFound(let key, let context): return "missing key \(key.stringValue) at \(path(context))"
        case .dataCorrupted(let context): return "malformed JSON at \(path(context))"
        @unknown default: return "undecodable"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        return keys.isEmpty ? "top level" : keys.joined(separator: ".")
    }
}
