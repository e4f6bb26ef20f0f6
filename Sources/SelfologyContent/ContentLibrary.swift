import Foundation
import SelfologyCore

/// The bundled content: the question bank and the language resources, loaded and checked once at start-up.
public struct ContentLibrary: Sendable {
    public let bank: QuestionBank
    public let sentiment: [Language: SentimentLexicon]

    public init(bank: QuestionBank, sentiment: [Language: SentimentLexicon]) {
        self.bank = bank
        self.sentiment = sentiment
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
        for language in Language.allCases {
            let file = root.appendingPathComponent("lexicons/sentiment-\(language.rawValue).json")
            do {
                sentiment[language] = try JSONDecoder().decode(SentimentLexicon.self, from: Data(contentsOf: file))
            } catch {
                throw ContentError.invalidFile(file.lastPathComponent, "\(error)")
            }
        }
        return ContentLibrary(bank: try QuestionBank(questions: questions), sentiment: sentiment)
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
