import AsyncHTTPClient
import Foundation
import Logging
import SelfologyCore
import Synchronization

@testable import SelfologyAI

/// A prompt marker that must never show up in an error or a log line.
let promptMarker = "PROMPT-MARKER-7d1e: I am afraid of the dark"

func chatRequest(
    system: String = "You are a careful coach.", user: String = promptMarker, output: StructuredOutput? = nil,
    maxOutputTokens: Int = 300, temperature: Double? = 0.2, timeout: Duration = .seconds(5)
) -> CompletionRequest {
    CompletionRequest(
        system: system,
        messages: [
            ChatMessage(role: .user, content: "Hi"), ChatMessage(role: .assistant, content: "Hello, how are you?"),
            ChatMessage(role: .user, content: user),
        ],
        maxOutputTokens: maxOutputTokens, temperature: temperature, output: output, timeout: timeout)
}

let moodOutput = StructuredOutput(
    name: "mood_reading",
    schema: .object([
        "type": .string("object"),
        "properties": .object(["mood": .object(["type": .string("string")])]),
        "required": .array([.string("mood")]),
        "additionalProperties": .bool(false),
    ]))

/// The error `body` throws, or nil when it returns.
func thrownError(_ body: () async throws -> some Any) async -> (any Error)? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}

/// Every piece of a stream, and the error that ended it if any.
func collect(
    _ stream: AsyncThrowingStream<StreamPiece, any Error>
) async -> (pieces: [StreamPiece], error: (any Error)?) {
    var pieces: [StreamPiece] = []
    do {
        for try await piece in stream { pieces.append(piece) }
        return (pieces, nil)
    } catch {
        return (pieces, error)
    }
}

/// Starts `fake`, runs `body`, and stops the fake whatever happened.
func withFake<Fake: StartableFake, Value>(
    _ fake: Fake, _ body: (Fake) async throws -> Value
) async throws -> Value {
    try await fake.start()
    do {
        let value = try await body(fake)
        await fake.stop()
        return value
    } catch {
        await fake.stop()
        throw error
    }
}
