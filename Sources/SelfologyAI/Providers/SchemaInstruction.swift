import Foundation
import SelfologyCore

/// For servers that cannot enforce a schema: the schema goes into the system prompt instead.
enum SchemaInstruction {
    static func appended(to system: String, _ output: StructuredOutput) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let schema = (try? encoder.encode(output.schema)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let instruction =
            "Answer with exactly one JSON document named \(output.name) that satisfies this JSON Schema, "
            + "and nothing else:\n\(schema)"
        return system.isEmpty ? instruction : system + "\n\n" + instruction
    }
}
