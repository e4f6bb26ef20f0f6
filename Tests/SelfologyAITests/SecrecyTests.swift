import AsyncHTTPClient
import Foundation
import SelfologyCore
import SelfologyTestSupport
import Testing

@testable import SelfologyAI

/// Keys must never reach an error or a log line; neither may the prompt, the model's output, or the provider's
/// free-text error message (it can quote the input).
@Suite("Key and prompt secrecy")
struct SecrecyTests {
    private static let providerMessage = "PROVIDER-MESSAGE-quoting-the-input"

    private func renderings(of error: any Error) -> [String] {
        [String(describing: error), String(reflecting: error), "\(error)", error.localizedDescription]
    }

    private func expectNothingSecret(in text: String) {
        #expect(!text.contains(FakeOpenAI.apiKey), "\(text)")
        #expect(!text.contains("SECRET"), "\(text)")
        #expect(!text.contains("PROMPT-MARKER"), "\(text)")
        #expect(!text.contains("PROVIDER-MESSAGE"), "\(text)")
        #expect(!text.contains("OUTPUT-MARKER"), "\(text)")
    }

    @Test func noErrorOrLogLineCarriesTheKeyThePromptOrTheProvidersMessage() async throws {
        let logs = CapturedLogs()
        var errors: [any Error] = []
        try await withFake(FakeOpenAI()) { fake in
            fake.enqueue(
                .status(400, errorType: "invalid_request_error", message: Self.providerMessage + " " + promptMarker),
                .status(429, errorType: "rate_limit_exceeded", retryAfter: "1", message: Self.providerMessage),
                .status(500, errorType: "Prose with spaces " + Self.providerMessage),
                .raw(status: 200, body: #"{"choices":[{"message":{"content":7}}], "x":"OUTPUT-MARKER"}"#),
                .refusal("OUTPUT-MARKER refusal text"), .hang)
            let model = OpenAIChatModel(
                model: "gpt-4o-mini",
                configuration: .openAI(apiKey: APIKey(FakeOpenAI.apiKey), baseURL: fake.baseURL), httpClient: .shared,
                logger: logs.logger())
            for _ in 0..<6 {
                if let error = await thrownError({
                    try await model.complete(chatRequest(output: moodOutput, timeout: .milliseconds(500)))
                }) {
                    errors.append(error)
                }
            }
        }
        let unreachable = OpenAIChatModel(
            model: "gpt-4o-mini",
            configuration: .openAI(apiKey: APIKey(FakeOpenAI.apiKey), baseURL: "http://127.0.0.1:1/v1"),
            httpClient: .shared, logger: logs.logger())
        if let error = await thrownError({ try await unreachable.complete(chatRequest(timeout: .seconds(1))) }) {
            errors.append(error)
        }

        #expect(errors.count == 7)
        // A type that is prose, not an identifier, is dropped.
        #expect(errors.contains { $0 as? ModelCallError == .server(status: 500, type: nil) })
        for error in errors {
            for rendering in renderings(of: error) { expectNothingSecret(in: rendering) }
        }
        #expect(logs.all.count == 7)
        for line in logs.all { expectNothingSecret(in: line) }
    }

    @Test func printingKeysAndConfigurationsShowsNoSecret() {
        let key = APIKey(FakeOpenAI.apiKey)
        let openAI = OpenAIConfiguration.openAI(apiKey: key)
        let anthropic = AnthropicConfiguration(apiKey: key)
        let qdrant = QdrantProfileIndex.Configuration(apiKey: key)
        var dumped = ""
        dump(openAI, to: &dumped)
        dump(anthropic, to: &dumped)
        dump(qdrant, to: &dumped)
        for rendering in [
            "\(key)", String(reflecting: key), "\(openAI)", "\(anthropic)", String(reflecting: qdrant), dumped,
        ] {
            expectNothingSecret(in: rendering)
        }
        #expect(key.redacting("Bearer \(FakeOpenAI.apiKey)") == "Bearer <key>")
    }
}
