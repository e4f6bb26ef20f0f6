import Logging
import SelfologyCore
import SelfologyServices
import SelfologyTelegram

/// Turns Telegram updates into gateway inputs, whether they came by long polling or by webhook: each person's
/// updates in order, different people at the same time. Every input is named by its update id, so an update
/// Telegram delivers again (after a crash, or a webhook retry) changes nothing.
struct TelegramFrontDoor: Sendable {
    let gateway: Gateway
    let api: TelegramBotAPI
    let logger: Logger

    /// Handles a batch and returns the ids of the updates that failed and must be tried again. A person's
    /// updates after a failed one wait too, so nobody's inputs are applied out of order.
    func handle(_ updates: [Update]) async -> [Int] {
        var order: [String] = []
        var byPerson: [String: [Update]] = [:]
        for update in updates {
            let key = Self.personKey(update)
            if byPerson[key] == nil { order.append(key) }
            byPerson[key, default: []].append(update)
        }
        return await withTaskGroup(of: [Int].self) { people in
            for key in order {
                let sequence = byPerson[key] ?? []
                people.addTask {
                    for (index, update) in sequence.enumerated() {
                        do {
                            try await handle(update)
                        } catch {
                            logger.warning(
                                "update not handled; it will be retried",
                                metadata: ["update_id": "\(update.updateID)", "error": "\(error)"])
                            return sequence[index...].map(\.updateID)
                        }
                    }
                    return []
                }
            }
            var failed: [Int] = []
            for await ids in people { failed += ids }
            return failed.sorted()
        }
    }

    func handle(_ update: Update) async throws {
        let inputID = "telegram:update:\(update.updateID)"
        switch TelegramInbound(update) {
        case .input(let person, let input):
            let phase = try await gateway.receive(
                input, from: person.user, languageHint: person.language, inputID: inputID)
            // The coach is writing a reply: show "typing…" meanwhile (a courtesy; failures do not matter).
            if case .text = input, phase == .chatActive { try? await api.sendChatAction(chatID: person.chatID) }
        case .button(let person, let queryID, let action, let pressedMessageID):
            if let action {
                try await gateway.receive(
                    .button(action), from: person.user, languageHint: person.language, inputID: inputID)
                // One press per question: the pressed message loses its buttons.
                if let pressedMessageID {
                    _ = try? await api.editMessageReplyMarkup(chatID: person.chatID, messageID: pressedMessageID)
                }
            } else {
                logger.info("malformed button data ignored", metadata: ["user_id": "\(person.user)"])
            }
            // Ends the spinner on the button in every case.
            try? await api.answerCallbackQuery(id: queryID)
        case .notText(let person):
            try await gateway.receive(.notText, from: person.user, languageHint: person.language, inputID: inputID)
        case .ignored(let reason):
            logger.debug(
                "update ignored", metadata: ["update_id": "\(update.updateID)", "reason": "\(reason.rawValue)"])
        }
    }

    /// Whose update this is, so one person's updates stay in order; updates of no one are each their own.
    static func personKey(_ update: Update) -> String {
        if let id = update.message?.from?.id ?? update.callbackQuery?.from.id { return "person:\(id)" }
        return "update:\(update.updateID)"
    }
}
