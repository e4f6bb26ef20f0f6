import Foundation
import NIOHTTP1

extension ProviderFailure {
    /// How long the provider asked to wait: `retry-after-ms` (OpenAI's precise variant), else `retry-after` as
    /// seconds (a fraction tolerated) or as an HTTP-date (RFC 9110 §10.2.3). nil when absent or unreadable.
    static func retryAfter(in headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        if let milliseconds = headers.first(name: "retry-after-ms").flatMap(nonNegativeNumber) {
            return .milliseconds(milliseconds)
        }
        guard let value = headers.first(name: "retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = nonNegativeNumber(value) { return .seconds(seconds) }
        guard let date = httpDate(value) else { return nil }
        return .seconds(max(0, date.timeIntervalSince(now)))
    }

    private static func nonNegativeNumber(_ text: String) -> Double? {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, value >= 0 else {
            return nil
        }
        return value
    }

    /// IMF-fixdate, the form servers must send (`Sun, 06 Nov 1994 08:49:37 GMT`).
    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text)
    }
}
