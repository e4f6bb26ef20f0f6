import Foundation
import SelfologyContent
import SelfologyCore
import Testing

@Suite("Analysis output schemas")
struct AnalysisSchemaTests {
    let content: ContentLibrary
    let instant: JSONSchemaValidator
    let deep: JSONSchemaValidator

    init() throws {
        content = BundledContent.library
        instant = try ContentLibrary.schema("instant-analysis", version: InstantAnalysis.schemaVersion)
        deep = try ContentLibrary.schema("deep-analysis", version: DeepAnalysis.schemaVersion)
    }

    static let instantDocuments = [
        #"{"valence":0.4,"emotion":"joy","quality":0.7,"insight":"Warm.","word_count":12,"said_tired":false}"#,
        #"{"valence":0,"emotion":null,"quality":0,"insight":"Ok.","word_count":0,"said_tired":true}"#,
        #"{"valence":1.5,"emotion":"joy","quality":0.7,"insight":"Warm.","word_count":12,"said_tired":false}"#,
        #"{"valence":0.4,"emotion":"bliss","quality":0.7,"insight":"Warm.","word_count":12,"said_tired":false}"#,
        #"{"valence":0.4,"emotion":"joy","quality":0.7,"insight":"","word_count":12,"said_tired":false}"#,
        #"{"valence":0.4,"emotion":"joy","quality":0.7,"insight":"Warm.","word_count":1.5,"said_tired":false}"#,
        #"{"valence":0.4,"emotion":"joy","quality":0.7,"insight":"Warm.","word_count":12}"#,
        #"{"valence":0.4,"emotion":"joy","quality":0.7,"insight":"Warm.","word_count":12,"said_tired":false,"x":1}"#,
        #"{"valence":"high","emotion":"joy","quality":0.7,"insight":"Warm.","word_count":12,"said_tired":false}"#,
        #"[1,2]"#,
    ]

    static let deepDocuments = [
        #"{"evidence":[],"patterns":[],"insights":[]}"#,
        #"{"evidence":[{"trait":{"category":"big_five","name":"openness"},"value":0.8,"label":null,"confidence":0.5,"source":"model","reference":null}],"patterns":["self_reflective"],"insights":["You notice a lot."]}"#,
        #"{"evidence":[{"trait":{"category":"big_five","name":"openness"},"value":0.8,"confidence":0.5,"source":"model","reference":null}],"patterns":[],"insights":[]}"#,
        #"{"evidence":[{"trait":{"category":"feelings","name":"openness"},"value":0.8,"label":null,"confidence":0.5,"source":"model","reference":null}],"patterns":[],"insights":[]}"#,
        #"{"evidence":[{"trait":{"category":"big_five","name":"openness"},"value":-0.1,"label":null,"confidence":0.5,"source":"model","reference":null}],"patterns":[],"insights":[]}"#,
        #"{"evidence":[{"trait":{"category":"big_five","name":"openness"},"value":0.3,"label":null,"confidence":0.5,"source":"guess","reference":null}],"patterns":[],"insights":[]}"#,
        #"{"evidence":[],"patterns":[""],"insights":[]}"#,
        #"{"evidence":[],"patterns":[],"insights":[],"notes":"extra"}"#,
        #"{"evidence":{},"patterns":[],"insights":[]}"#,
    ]

    /// The verdicts of Python's jsonschema (the reference implementation) for the same documents.
    func referenceVerdicts(schema name: String, documents: [String]) throws -> [Bool] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import json,sys,jsonschema; s=json.load(open(sys.argv[1])); v=jsonschema.Draft202012Validator(s); "
                + "print(json.dumps([v.is_valid(json.loads(d)) for d in json.load(sys.stdin)]))",
            try ContentLibrary.schemaURL(name, version: 1).path,
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The throwing file-handle calls: the old ones trap inside Foundation when a read is interrupted (EINTR).
        try input.fileHandleForWriting.write(contentsOf: try JSONEncoder().encode(documents))
        try input.fileHandleForWriting.close()
        let data = try output.fileHandleForReading.readToEnd() ?? Data()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 with jsonschema is needed (scripts/test installs it)")
        return try JSONDecoder().decode([Bool].self, from: data)
    }

    @Test("our validator agrees with the reference jsonschema on every document")
    func agreesWithReference() throws {
        for (name, validator, documents) in [
            ("instant-analysis", instant, Self.instantDocuments), ("deep-analysis", deep, Self.deepDocuments),
        ] {
            let ours = try documents.map { validator.violations(of: try JSONValue.parse($0)).isEmpty }
            #expect(ours == (try referenceVerdicts(schema: name, documents: documents)), "\(name)")
            #expect(ours.contains(true) && ours.contains(false))
        }
    }

    @Test("the local analyzers' own output satisfies the schemas and round-trips")
    func localOutputConforms() throws {
        let question = try #require(content.bank.questions.first { !$0.kind.isScale })
        let scale = try #require(content.bank.questions.first { $0.kind.isScale })
        let answer = "When I finish a hard project I feel proud and calm, because I planned every step."
        let instantResult = InstantAnalyzer(lexicons: content.sentiment)
            .analyze(answer: answer, scaleValue: nil, question: question, language: .en)
        let instantJSON = try EventCoding.encodeToString(instantResult)
        #expect(try ModelOutput.decode(InstantAnalysis.self, from: instantJSON, schema: instant) == instantResult)
        for (text, value, q) in [(answer, nil, question), ("4", Optional(4), scale)] {
            let deepResult = DeepAnalyzer(lexicons: content.sentiment, cues: content.traitCues)
                .analyze(answer: text, scaleValue: value, question: q, language: .en)
            let json = try EventCoding.encodeToString(deepResult)
            #expect(try ModelOutput.decode(DeepAnalysis.self, from: json, schema: deep) == deepResult)
            #expect(deepResult.semanticProblems.isEmpty)
        }
    }

    @Test("invalid model output is rejected with a reason")
    func rejections() throws {
        #expect(throws: ModelOutput.Rejection.notJSON) {
            try ModelOutput.decode(InstantAnalysis.self, from: "Sure! Here is the JSON:", schema: instant)
        }
        do {
            _ = try ModelOutput.decode(InstantAnalysis.self, from: Self.instantDocuments[2], schema: instant)
            Issue.record("out-of-range valence accepted")
        } catch {
            #expect(error.description.contains("/valence") && error.description.contains("maximum"))
        }
        let invented = try ModelOutput.decode(
            DeepAnalysis.self,
            from:
                #"{"evidence":[{"trait":{"category":"big_five","name":"charisma"},"value":0.9,"label":null,"confidence":0.9,"source":"model","reference":null}],"patterns":[],"insights":[]}"#,
            schema: deep)
        #expect(invented.semanticProblems == ["evidence 0: unknown trait big_five/charisma"])
    }

    @Test("a schema keyword the validator does not implement is refused, not ignored")
    func unsupportedKeyword() throws {
        #expect(throws: JSONSchemaValidator.SchemaError.unsupportedKeyword("pattern", path: "/properties/a")) {
            try JSONSchemaValidator(
                schema: try JSONValue.parse(#"{"type":"object","properties":{"a":{"type":"string","pattern":"x"}}}"#))
        }
    }
}
