import SelfologyContent
import SelfologyCore
import Testing

@Suite("Coaching: local coach and the remote system prompt")
struct CoachingTests {
    let content: ContentLibrary
    init() { content = BundledContent.library }

    func profile(openness: Double, conscientiousness: Double, extraversion: Double) -> PersonalityProfile {
        var profile = PersonalityProfile()
        profile.bigFive = [
            "openness": TraitScore(value: openness, weight: 5),
            "conscientiousness": TraitScore(value: conscientiousness, weight: 5),
            "extraversion": TraitScore(value: extraversion, weight: 5),
        ]
        profile.answersAnalyzed = 10
        return profile
    }

    @Test("the system prompt carries the profile, the style's directives, the language and the safety rules")
    func systemPrompt() {
        let creative = profile(openness: 0.8, conscientiousness: 0.7, extraversion: 0.3)
        let prompt = CoachPrompt.system(
            profile: creative, style: CoachingStyle.adapted(to: creative), insights: ["self_reflective"], language: .ru)
        #expect(prompt.contains("openness: high (80%"))
        #expect(prompt.contains("metaphors") && prompt.contains("numbered plan") && prompt.contains("calm"))
        #expect(prompt.contains("reply in Russian") && prompt.contains("вы"))
        #expect(prompt.contains("stop coaching") && prompt.contains("Never diagnose"))
        #expect(prompt.contains("self_reflective"))
        let practical = profile(openness: 0.2, conscientiousness: 0.2, extraversion: 0.9)
        let other = CoachPrompt.system(
            profile: practical, style: CoachingStyle.adapted(to: practical), insights: [], language: .en)
        #expect(other.contains("practical") && other.contains("flexible") && other.contains("energetic"))
        #expect(!other.contains("metaphors") && other.contains("Always reply in English"))
    }

    @Test("the local coach reflects, gives one step in the person's style, and asks one question back")
    func localCoach() {
        let coach = LocalCoach(lexicons: content.sentiment)
        let creative = profile(openness: 0.8, conscientiousness: 0.3, extraversion: 0.3)
        let message = "Work is overwhelming, my boss keeps adding projects"
        let context = CoachContext(
            profile: creative, style: CoachingStyle.adapted(to: creative), recentTurns: [], insights: [], language: .en)
        let reply = coach.reply(to: message, context: context)
        #expect(reply.contains("backpack"), "creative style uses an image for a work topic")
        #expect(reply.hasSuffix("?"), "ends with one question back")
        #expect(coach.reply(to: message, context: context) == reply, "deterministic")

        let practical = profile(openness: 0.3, conscientiousness: 0.8, extraversion: 0.3)
        let ru = coach.reply(
            to: "На работе завал, начальник давит",
            context: CoachContext(
                profile: practical, style: CoachingStyle.adapted(to: practical), recentTurns: [], insights: [],
                language: .ru))
        #expect(ru.contains("25 минут") && ru.contains("\n\n"), "practical, structured, in Russian")
    }

    @Test("the step is fitted to what the profile knows, for example an avoidant stress response")
    func personalTouch() {
        var avoidant = profile(openness: 0.4, conscientiousness: 0.4, extraversion: 0.4)
        avoidant.adaptiveTraits["stress_response"] = TraitScore(value: 0.5, weight: 1, label: "avoidant")
        let reply = LocalCoach(lexicons: content.sentiment).reply(
            to: "I am so stressed and anxious about everything",
            context: CoachContext(
                profile: avoidant, style: CoachingStyle.adapted(to: avoidant), recentTurns: [], insights: [],
                language: .en))
        #expect(reply.contains("ten-minute dose"))
    }
}
