import Foundation
import NIOHTTP1
import Testing

@testable import SelfologyAI

@Suite("retry-after")
struct RetryAfterTests {
    private func wait(_ headers: [(String, String)], now: Date = Date()) -> Duration? {
        ProviderFailure.retryAfter(in: HTTPHeaders(headers), now: now)
    }

    @Test func readsSecondsFractionsMillisecondsAndDates() {
        #expect(wait([("retry-after", "7")]) == .seconds(7))
        #expect(wait([("Retry-After", " 1.5 ")]) == .milliseconds(1500))
        #expect(wait([("retry-after-ms", "250"), ("retry-after", "9")]) == .milliseconds(250))
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(wait([("retry-after", "Sun, 06 Nov 1994 08:50:37 GMT")], now: now) == .seconds(60))
        #expect(wait([("retry-after", "Sun, 06 Nov 1994 08:40:00 GMT")], now: now) == .zero)
    }

    @Test func ignoresAbsentNegativeAndUnreadableValues() {
        #expect(wait([]) == nil)
        #expect(wait([("retry-after", "-3")]) == nil)
        #expect(wait([("retry-after", "soon")]) == nil)
        #expect(wait([("retry-after-ms", "nan"), ("retry-after", "2")]) == .seconds(2))
    }

    @Test func classifiesStatusesAndTypes() {
        #expect(
            ProviderFailure.classify(status: 529, type: "overloaded_error", retryAfter: nil)
                == .overloaded(retryAfter: nil))
        #expect(
            ProviderFailure.classify(status: 500, type: "overloaded_error", retryAfter: nil)
                == .overloaded(retryAfter: nil))
        #expect(
            ProviderFailure.classify(status: 404, type: "not_found_error", retryAfter: nil)
                == .rejected(status: 404, type: "not_found_error"))
        #expect(ProviderFailure.classifyStreamError(type: "rate_limit_error") == .rateLimited(retryAfter: nil))
        #expect(ProviderFailure.classifyStreamError(type: "api_error") == .server(status: 500, type: "api_error"))
        #expect(
            ProviderFailure.classifyStreamError(type: "invalid_request_error")
                == .rejected(status: 400, type: "invalid_request_error"))
    }
}
