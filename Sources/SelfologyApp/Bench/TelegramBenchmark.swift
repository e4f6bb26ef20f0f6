import Foundation
import Logging
import SelfologyContent
import SelfologyCore
import SelfologyTelegram

/// Simulated people on Telegram: the embedded runtime with its real Telegram front end (long polling, the send
/// queue with Telegram's limits of about one message a second per chat and 30 overall) against the stand-in
/// Bot API over loopback HTTP. Measures from the moment an update is waiting at the Bot API to the moment the
/// bot's instant-feedback `sendMessage` (and then the next question's) arrives there.
public enum TelegramBenchmark {
    public struct Report: Sendable {
        public let answers: Int
        public let seconds: Double
        public let feedback: [Duration]
        public let nextQuestion: [Duration]
    }

    public static func run(_ load: LoadBenchmark.Load, content: ContentLibrary) async throws -> Report {
        let api = BenchBotAPI()
        return try await api.run { baseURL in
            var quiet = Logger(label: "selfology.bench")
            quiet.logLevel = .error
            var settings = TelegramSettings(token: BenchBotAPI.token)
            settings.apiURL = baseURL
            let frontEnd = TelegramFrontEnd(settings: settings, logger: quiet)
            try await frontEnd.connect()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "selfology-telegram-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            var configuration = RuntimeConfiguration(dataPath: directory.appendingPathComponent("bench.sqlite").path)
            configuration.session.targetAnswers = load.answersEach
            let runtime = try await SelfologyRuntime.prepare(
                configuration: configuration, content: content, transport: frontEnd.transport, logger: quiet)
            let group = runtime.makeServiceGroup(runtime.services + [frontEnd.inbound(gateway: runtime.gateway)])
            let services = Task { try await group.run() }
            let started = ContinuousClock.now
            let samples = try await withThrowingTaskGroup(of: ([Duration], [Duration]).self) { people in
                for index in 0..<load.users {
                    people.addTask { try await person(index, load: load, api: api) }
                }
                var result: ([Duration], [Duration]) = ([], [])
                for try await (feedback, next) in people {
                    result.0 += feedback
                    result.1 += next
                }
                return result
            }
            let elapsed = ContinuousClock.now - started
            await group.triggerGracefulShutdown()
            try await services.value
            try await runtime.close()
            return Report(
                answers: samples.0.count, seconds: elapsed.seconds, feedback: samples.0, nextQuestion: samples.1)
        }
    }

    static func person(_ index: Int, load: LoadBenchmark.Load, api: BenchBotAPI) async throws
        -> ([Duration], [Duration])
    {
        let id = Int64(1_000_000 + index)
        let user = UserID("telegram:\(id)")
        let sender = User(
            id: id, isBot: false, firstName: "Person \(index)", languageCode: index % 3 == 0 ? "ru" : "en")
        let chat = Chat(id: id, type: .private)
        func say(_ text: String) {
            api.push {
                Update(updateID: $0, message: Message(messageID: $0, from: sender, chat: chat, date: 0, text: text))
            }
        }
        func press(_ data: String) {
            api.push { Update(updateID: $0, callbackQuery: CallbackQuery(id: "q\($0)", from: sender, data: data)) }
        }
        func next(_ matching: (OutgoingMessage) -> Bool) async throws -> BenchTransport.Delivered {
            while let item = await api.inbox.next(for: user, timeout: .seconds(120)) {
                if matching(item.message) { return item }
            }
            throw BenchError.stalled(user)
        }
        let isQuestion: (OutgoingMessage) -> Bool = { $0.text.hasPrefix("Question") || $0.text.hasPrefix("Вопрос") }

        if load.think > .zero { try await Task.sleep(for: load.think * Double.random(in: 0..<1)) }
        say("/start")
        _ = try await next { $0.buttons.joined().contains { $0.data == "consent:yes" } }
        press("consent:yes")
        var question = try await next(isQuestion).message
        var feedback: [Duration] = []
        var nextQuestion: [Duration] = []
        for turn in 0..<load.answersEach {
            if load.think > .zero { try await Task.sleep(for: load.think * Double.random(in: 0.5..<1.5)) }
            let sent = ContinuousClock.now
            if let scale = question.buttons.joined().first(where: { $0.data.hasPrefix("scale:4:") }) {
                press(scale.data)
            } else {
                say("I like quiet mornings, long walks and honest talks with close friends.")
            }
            feedback.append(try await next { _ in true }.at - sent)
            if turn == load.answersEach - 1 { break }
            let arrived = try await next(isQuestion)
            question = arrived.message
            nextQuestion.append(arrived.at - sent)
        }
        return (feedback, nextQuestion)
    }
}
