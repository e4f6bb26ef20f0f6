/// The languages Selfology speaks. Every user-facing text exists in each of them.
public enum Language: String, Codable, Sendable, CaseIterable {
    case en
    case ru

    /// Maps a client locale such as Telegram's `language_code` ("ru", "ru-RU", "en-GB") to a language;
    /// anything not Russian is answered in English.
    public init(localeCode: String?) {
        self = (localeCode?.lowercased().hasPrefix("ru") ?? false) ? .ru : .en
    }
}

/// A text in every supported language.
public struct LocalizedText: Codable, Sendable, Hashable {
    public var en: String
    public var ru: String

    public init(en: String, ru: String) {
        self.en = en
        self.ru = ru
    }

    public subscript(language: Language) -> String {
        switch language {
        case .en: en
        case .ru: ru
        }
    }
}
