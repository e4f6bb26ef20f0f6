import Foundation

/// Turns a language model's JSON into one of the analysis types, or says exactly why it cannot: invalid JSON,
/// schema violations (with JSON pointers), or a decoding failure. Nothing unchecked reaches the profile.
public enum ModelOutput {
    public enum Rejection: Error, Equatable, CustomStringConvertible {
        case notJSON
        case schema([JSONSchemaValidator.Violation])
        case undecodable(String)

        public var description: String {
            switch self {
            case .notJSON: "model output is not JSON"
            case .schema(let violations):
                "model output breaks the schema: " + violations.map(\.description).joined(separator: "; ")
            case .undecodable(let reason): "model output does not decode: \(reason)"
            }
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String, schema: JSONSchemaValidator)
        throws(Rejection) -> T
    {
        let document: JSONValue
        do { document = try JSONValue.parse(text) } catch { throw .notJSON }
        let violations = schema.violations(of: document)
        guard violations.isEmpty else { throw .schema(violations) }
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw .undecodable("\(error)")
        }
    }
}
