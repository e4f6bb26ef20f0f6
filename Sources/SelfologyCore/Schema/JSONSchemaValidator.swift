/// Checks a JSON document against a JSON Schema, for the subset that structured-output models accept and our
/// analysis schemas use: type (one or a list), properties, required, additionalProperties: false, enum,
/// minimum/maximum, minLength/maxLength, items, minItems/maxItems. Any other keyword is rejected up front, so a
/// schema can never silently ask for a check this validator does not make.
public struct JSONSchemaValidator: Sendable {
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        /// JSON pointer to the offending value ("" is the whole document).
        public let path: String
        public let message: String
        public var description: String { "\(path.isEmpty ? "/" : path): \(message)" }
    }

    public enum SchemaError: Error, Equatable, CustomStringConvertible {
        case unsupportedKeyword(String, path: String)
        case malformed(String)

        public var description: String {
            switch self {
            case .unsupportedKeyword(let keyword, let path): "schema keyword '\(keyword)' at \(path) is not supported"
            case .malformed(let reason): "malformed schema: \(reason)"
            }
        }
    }

    static let supported: Set<String> = [
        "$schema", "$id", "title", "description", "type", "properties", "required", "additionalProperties", "enum",
        "minimum", "maximum", "minLength", "maxLength", "items", "minItems", "maxItems",
    ]

    public let schema: JSONValue

    public init(schema: JSONValue) throws {
        try Self.checkSupported(schema, path: "")
        self.schema = schema
    }

    public func violations(of document: JSONValue) -> [Violation] {
        var found: [Violation] = []
        check(document, against: schema, path: "", into: &found)
        return found
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, into found: inout [Violation]) {
        if let types = Self.types(schema["type"]), !types.contains(where: { Self.matches(value, type: $0) }) {
            found.append(
                .init(path: path, message: "expected \(types.joined(separator: " or ")), found \(value.typeName)"))
            return
        }
        if case .array(let allowed) = schema["enum"], !allowed.contains(where: { Self.equal($0, value) }) {
            found.append(.init(path: path, message: "not one of the allowed values"))
        }
        switch value {
        case .number(let number):
            if case .number(let minimum) = schema["minimum"], number < minimum {
                found.append(.init(path: path, message: "\(number) is below the minimum \(minimum)"))
            }
            if case .number(let maximum) = schema["maximum"], number > maximum {
                found.append(.init(path: path, message: "\(number) is above the maximum \(maximum)"))
            }
        case .string(let string):
            if case .number(let minimum) = schema["minLength"], Double(string.count) < minimum {
                found.append(.init(path: path, message: "shorter than \(Int(minimum)) characters"))
            }
            if case .number(let maximum) = schema["maxLength"], Double(string.count) > maximum {
                found.append(.init(path: path, message: "longer than \(Int(maximum)) characters"))
            }
        case .array(let items):
            if case .number(let minimum) = schema["minItems"], Double(items.count) < minimum {
                found.append(.init(path: path, message: "fewer than \(Int(minimum)) items"))
            }
            if case .number(let maximum) = schema["maxItems"], Double(items.count) > maximum {
                found.append(.init(path: path, message: "more than \(Int(maximum)) items"))
            }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() {
                    check(item, against: itemSchema, path: "\(path)/\(index)", into: &found)
                }
            }
        case .object(let members):
            if case .array(let required) = schema["required"] {
                for case .string(let key) in required where members[key] == nil {
                    found.append(.init(path: path, message: "missing required property '\(key)'"))
                }
            }
            let properties: [String: JSONValue]
            if case .object(let declared) = schema["properties"] { properties = declared } else { properties = [:] }
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                let childPath = "\(path)/\(key)"
                if let propertySchema = properties[key] {
                    check(member, against: propertySchema, path: childPath, into: &found)
                } else if schema["additionalProperties"] == .bool(false) {
                    found.append(.init(path: childPath, message: "property is not allowed"))
                }
            }
        case .null, .bool:
            break
        }
    }

    static func types(_ declared: JSONValue?) -> [String]? {
        switch declared {
        case .string(let type): [type]
        case .array(let list): list.compactMap { if case .string(let type) = $0 { type } else { nil } }
        default: nil
        }
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
            ("number", .number):
            true
        case ("integer", .number(let number)): number.rounded() == number
        default: false
        }
    }

    /// JSON equality for enum checks: numbers compare by value.
    static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool { lhs == rhs }

    static func checkSupported(_ schema: JSONValue, path: String) throws {
        guard case .object(let members) = schema else { throw SchemaError.malformed("\(path) is not an object") }
        for (key, value) in members {
            guard supported.contains(key) else { throw SchemaError.unsupportedKeyword(key, path: path) }
            switch key {
            case "properties":
                guard case .object(let properties) = value else { throw SchemaError.malformed("\(path)/properties") }
                for (name, child) in properties { try checkSupported(child, path: "\(path)/properties/\(name)") }
            case "items":
                try checkSupported(value, path: "\(path)/items")
            case "additionalProperties":
                guard value == .bool(false) || value == .bool(true) else {
                    throw SchemaError.unsupportedKeyword("additionalProperties (schema form)", path: path)
                }
            default:
                break
            }
        }
    }
}
