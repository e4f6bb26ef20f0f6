import Foundation
import SelfologyCore

/// The bundled content: the question bank and the language resources, loaded and checked once at start-up.
public struct ContentLibrary: Sendable {
    public let bank: QuestionBank
    public let sentiment: [Language: SentimentLexicon]
    public let traitCues: [Language: TraitCueLexicon]
    public let crisis: CrisisDetector
    public let crisisResources: CrisisResources

    public init(
        bank: QuestionBank, sentiment: [Language: SentimentLexicon], traitCues: [Language: TraitCueLexicon],
        crisis: CrisisDetector, crisisResources: CrisisResources
    ) {
        self.bank = bank
        self.sentiment = sentiment
        self.traitCues = traitCues
        self.crisis = crisis
        self.crisisResources = crisisResources
    }

    /// The analysis output schemas a remote model must fill: "instant-analysis" (`InstantAnalysis.schemaVersion`)
    /// or "deep-analysis" (`DeepAnalysis.schemaVersion`).
    public static func schema(_ name: String, version: Int) throws -> JSONSchemaValidator {
        let url = try schemaURL(name, version: version)
        return try JSONSchemaValidator(
            schema: try JSONValue.parse(String(decoding: Data(contentsOf: url), as: UTF8.self)))
    }

    /// Where the schema document is, for tools (and tests) that read it themselves.
    public static func schemaURL(_ name: String, version: Int) throws -> URL {
        guard let url = Bundle.module.url(forResource: "schemas/\(name).v\(version)", withExtension: "json") else {
            throw ContentError.missingResources
        }
        return url
    }

    /// The same library with the operator's own crisis resources (a file in the bundled format).
    public func withCrisisResources(from file: URL) throws -> ContentLibrary {
        let resources: CrisisResources
        do {
            resources = try JSONDecoder().decode(CrisisResources.self, from: Data(contentsOf: file))
        } catch {
            throw ContentError.invalidFile(file.path, "\(error)")
        }
        return ContentLibrary(
            bank: bank, sentiment: sentiment, traitCues: traitCues, crisis: crisis, crisisResources: resources)
    }

    /// Loads the resources shipped with Selfology.
    public static func bundled() throws -> ContentLibrary {
        guard let root = Bundle.module.resourceURL else { throw ContentError.missingResources }
        return try load(from: root)
    }

    /// Loads from a folder laid out like the bundle: `questions/*.json` and `lexicons/sentiment-<lang>.json`.
    public static func load(from root: URL) throws -> ContentLibrary {
        let questionFiles = try FileManager.default
            .contentsOfDirectory(at: root.appendingPathComponent("questions"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var questions: [Question] = []
        for file in questionFiles {
            do {
                questions += try JSONDecoder().decode(QuestionFile.self, from: Data(contentsOf: file)).questions
            } catch {
                throw ContentError.invalidFile(file.lastPathComponent, "\(error)")
            }
        }
        var sentiment: [Language: SentimentLexicon] = [:]
        var crisis: [CrisisPatterns] = []
        var traitCues: [Language: TraitCueLexicon] = [:]
        for language in Language.allCases {
            traitCues[language] = try decode(
                TraitCueLexicon.self, root, "lexicons/trait-cues-\(language.rawValue).json")
            sentiment[language] = try decode(
                SentimentLexicon.self, root, "lexicons/sentiment-\(language.rawValue).json")
            crisis.append(try decode(CrisisPatterns.self, root, "lexicons/crisis-\(language.rawValue).json"))
        }
        return ContentLibrary(
            bank: try QuestionBank(questions: questions), sentiment: sentiment, traitCues: traitCues,
            crisis: try CrisisDetector(patterns: crisis),
            crisisResources: try decode(CrisisResources.self, root, "safety/crisis-resources.json"))
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ root: URL, _ path: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(contentsOf: root.appendingPathComponent(path)))
        } catch {
            throw ContentError.invalidFile(path, "\(error)")
        }
    }

    struct QuestionFile: Decodable {
        let format: Int
        let questions: [Question]
    }
}

public enum ContentError: Error, CustomStringConvertible {
    case missingResources
    case invalidFile(String, String)

    public var description: String {
        switch self {
        case .missingResources: "the bundled content resources were not found"
        case .invalidFile(let name, let reason): "content file \(name) is invalid: \(reason)"
        }
    }
}
