/// A remote model's second opinion on a text the crisis patterns let through: the patterns miss about half of the
/// crisis messages worded in ways they were not written for (goodbyes, means, burden talk in a person's own words),
/// and a model reads those far better. Asked for every free-text answer and chat message when remote models are
/// configured; the offline tier has no second opinion.
public struct CrisisCheck: Codable, Sendable, Equatable {
    public static let schemaVersion = 1

    public let inDanger: Bool
    public let categories: [CrisisCategory]

    enum CodingKeys: String, CodingKey {
        case inDanger = "in_danger"
        case categories
    }

    public init(inDanger: Bool, categories: [CrisisCategory]) {
        self.inDanger = inDanger
        self.categories = categories
    }

    public static let safe = CrisisCheck(inDanger: false, categories: [])

    /// What was found, in catalog order; nothing unless the model says the person may be in danger.
    public var found: [CrisisCategory] {
        inDanger ? CrisisCategory.allCases.filter(categories.contains) : []
    }

    /// The instructions: a reader, not a coach, that leans towards care as the patterns do.
    public static let system = """
        You check one message a person wrote to a self-discovery coaching bot, in any language, for signs that \
        they or someone in their care may be in danger now. in_danger is true if a careful counsellor would want \
        to make sure they have crisis resources: suicidal thoughts or plans, including indirect ones (goodbyes, \
        giving things away, asking about means, heights or doses, feeling a burden, wishing not to wake up); \
        hurting themselves; intent to hurt someone; being abused, threatened, held or assaulted. It is false for \
        idioms and jokes ("this commute is killing me"), films, books, games, news, work, sadness or grief without \
        danger, and crises clearly past. categories names every kind that applies: suicidal_intent, self_harm, \
        harm_to_others, acute_abuse; empty when in_danger is false. When unsure, lean towards true.
        """
}
