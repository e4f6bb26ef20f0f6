import Testing

@testable import SelfologyAI

@Suite struct ModelIDTests {
    @Test func parsesProviderAndNameKeepingColonsInTheName() {
        #expect(ModelID("openai:gpt-4o") == ModelID(provider: "openai", name: "gpt-4o"))
        #expect(ModelID("compatible:llama3.1:8b") == ModelID(provider: "compatible", name: "llama3.1:8b"))
        #expect(ModelID("gpt-4o") == nil)
        #expect(ModelID(":gpt-4o") == nil)
        #expect(ModelID("openai:") == nil)
    }

    @Test func onlyTransientFailuresAreRetryable() {
        let retryable: [ModelCallError] = [
            .timedOut, .rateLimited(retryAfter: nil), .overloaded(retryAfter: .seconds(2)),
            .server(status: 502, type: nil), .transport("reset"),
        ]
        let final: [ModelCallError] = [
            .rejected(status: 400, type: "invalid_request_error"), .rejected(status: 401, type: nil),
            .malformedResponse("no choices"), .refused,
        ]
        #expect(retryable.allSatisfy { $0.isRetryable })
        #expect(!final.contains { $0.isRetryable })
        #expect(ModelCallError.overloaded(retryAfter: .seconds(2)).retryAfter == .seconds(2))
    }
}
