/// What a remote model is told for each analysis phase. The schema it must fill travels as structured output;
/// these prompts say what the fields mean for us, in our words. The person's answer is the user message.
public enum AnalysisPrompt {
    public static func instantSystem(language: Language) -> String {
        """
        You read one answer a person gave in a self-discovery conversation and give immediate, kind feedback. \
        Fill every field of the schema: valence from -1 (very negative) to 1 (very positive); the main emotion or \
        null; quality from 0 to 1 (how much the answer gives to reflect on: detail, self-reference, feelings); \
        insight: one short, warm sentence to the person in \(languageName(language)), about what their answer \
        shows, without diagnosis, labels or advice; word_count; said_tired true only if they say they are tired of \
        the questions or want to stop. Never quote the answer back in full.
        """
    }

    public static func deepSystem(language: Language) -> String {
        """
        You extract personality evidence from one answer in a self-discovery conversation. Return only evidence \
        the answer really supports, each with a value from 0 to 1 and an honest confidence (0.2-0.6 for one \
        answer; never 1). Traits by category: big_five (openness, conscientiousness, extraversion, agreeableness, \
        neuroticism); core_dynamics (self_awareness, emotional_regulation, motivation, resilience); \
        adaptive_traits (learning_style, stress_response, decision_pattern: give a short label such as \
        experiential, analytical, avoidant, deliberate); domain_affinities (the question's domain, value = how \
        engaged the person is with it). source is always "model"; reference names what the evidence rests on in a \
        few words, never a quote. patterns: short snake_case names of recurring ways of thinking or feeling. \
        insights: at most two sentences in \(languageName(language)) the coach may use later. No diagnoses.
        """
    }

    /// The user message: the question asked and the answer, nothing else about the person.
    public static func answerMessage(question: Question, answer: String, language: Language) -> String {
        """
        Question (domain \(question.domain.rawValue), depth \(question.depth.rawValue)): \(question.text[language])
        Answer: \(answer)
        """
    }

    static func languageName(_ language: Language) -> String {
        switch language {
        case .en: "English"
        case .ru: "Russian"
        }
    }
}
