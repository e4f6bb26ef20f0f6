import Foundation

/// The file a person gets after /mydata: every row each service keeps about them, service by service and table by
/// table, as the services stored it, with a few words on what the file holds and what it leaves out. A file rather
/// than messages: it may be long, and it is the person's to keep or take elsewhere.
public enum PersonalDataCopy {
    public static func fileName(madeAt date: Date) -> String {
        let day = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()
        return "selfology-my-data-\(date.formatted(day)).json"
    }

    /// - Parameter parts: one per consumer group; the gateway's own tables are among them as any other's.
    public static func document(
        of user: UserID, language: Language, madeAt date: Date, parts: [UserDataCollected]
    ) throws -> String {
        var services: [String: JSONValue] = [:]
        for part in parts {
            var tables: [String: JSONValue] = [:]
            for table in part.tables { tables[table.name] = .array(table.rows) }
            services[part.group.rawValue] = .object(tables)
        }
        let document = JSONValue.object([
            "about": .string(about[language]),
            "not_included": .array(notIncluded.map { .string($0[language]) }),
            "made_at": .string(date.formatted(.iso8601)),
            "person": .string(user.rawValue),
            "services": .object(services),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    static let about = LocalizedText(
        en: "Everything Selfology keeps about you, as each of its services stored it: your consent and the state of "
            + "our conversation (gateway), your sessions and answers (session_management), the questions you were "
            + "asked (question_selection), your profile, its patterns and its summary (profile_storage, "
            + "profile_vectors), how your traits changed (trait_evolution), our conversations and the coach's "
            + "notes (coach_interaction), and how many model calls were made for you (ai_usage). Times are in UTC. "
            + "/forget deletes all of it.",
        ru: "Всё, что Selfology о вас хранит, в том виде, в каком это сохранил каждый его сервис: ваше согласие и "
            + "состояние разговора (gateway), сессии и ответы (session_management), заданные вам вопросы "
            + "(question_selection), профиль, его закономерности и краткое описание (profile_storage, "
            + "profile_vectors), как менялись ваши черты (trait_evolution), наши разговоры и заметки коуча "
            + "(coach_interaction), сколько обращений к моделям было сделано для вас (ai_usage). Время — по UTC. "
            + "Команда /forget удаляет всё это.")

    static let notIncluded: [LocalizedText] = [
        LocalizedText(
            en: "Copies of recent events between the services, which hold the same answers and results; they are "
                + "deleted after a few days.",
            ru: "Копии недавних событий между сервисами с теми же ответами и результатами; они удаляются через "
                + "несколько дней."),
        LocalizedText(
            en: "Anything the services had not finished when you asked: an answer given a moment before may show "
                + "in your answers but not yet in your profile.",
            ru: "То, что сервисы ещё не закончили обрабатывать в момент запроса: ответ, данный за мгновение до "
                + "этого, может быть среди ответов, но ещё не в профиле."),
        LocalizedText(
            en: "Earlier copies of your data sent to you: each appears only by its file name.",
            ru: "Ранее отправленные вам копии данных: каждая указана только именем файла."),
    ]
}
