import Foundation
import SelfologyCore
import SelfologyServices
import SelfologyTelegram

/// Delivers the gateway's messages to Telegram as plain text (nothing to escape), split at Telegram's 4096
/// characters, buttons as an inline keyboard under the last part; a file (a copy of a person's data) as a
/// document with the text as its caption. The send queue paces them (about one a second
/// per chat, 30 a second overall, pausing on 429 `retry_after`), and `deliver` returns only once Telegram has
/// accepted the message, so the dispatcher marks it sent only then.
struct TelegramTransport: ChatTransport {
    let api: TelegramBotAPI
    let queue: SendQueue

    func deliver(_ message: OutgoingMessage, to user: UserID) async throws {
        guard let chatID = TelegramInbound.chatID(of: user) else {
            throw UndeliverableMessage(reason: "not a Telegram chat")
        }
        if let document = message.document {
            try await send(chatID: chatID) { [api] in
                _ = try await api.sendDocument(
                    chatID: chatID, fileName: document.fileName, contents: Data(document.contents.utf8),
                    caption: String(message.text.prefix(TelegramBotAPI.captionLimit)))
            }
            return
        }
        let parts = MessageSplitter.split(message.text)
        let keyboard = Self.keyboard(message.buttons)
        for (index, part) in parts.enumerated() {
            let markup = index == parts.count - 1 ? keyboard : nil
            try await send(chatID: chatID) { [api] in
                _ = try await api.sendMessage(chatID: chatID, text: part, replyMarkup: markup)
            }
        }
    }

    /// One call through the send queue; a refusal no retry can cure makes the message undeliverable.
    private func send(chatID: Int64, _ call: @escaping @Sendable () async throws -> Void) async throws {
        do {
            try await queue.send(chatID: chatID, call)
        } catch let error as TelegramError {
            if let reason = Self.permanentFailure(error) { throw UndeliverableMessage(reason: reason) }
            throw error
        }
    }

    static func keyboard(_ rows: [[OutgoingMessage.Button]]) -> InlineKeyboardMarkup? {
        guard !rows.isEmpty else { return nil }
        return InlineKeyboardMarkup(
            inlineKeyboard: rows.map { row in row.map { InlineKeyboardButton(text: $0.title, callbackData: $0.data) } })
    }

    /// Errors that no retry can cure: the person blocked the bot or deleted the chat.
    static func permanentFailure(_ error: TelegramError) -> String? {
        guard case .api(let code, let description, _, _) = error else { return nil }
        switch code {
        case 403: return "Telegram refused: the person blocked the bot or left the chat"
        case 400 where description.lowercased().contains("chat not found"): return "Telegram: chat not found"
        default: return nil
        }
    }
}
