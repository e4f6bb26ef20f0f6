/// The eight services of the architecture. Each runs on its own and talks to the others only through events.
public enum ServiceName: String, Sendable, CaseIterable, Codable {
    case gateway
    case sessionManagement = "session_management"
    case questionSelection = "question_selection"
    case analysisWorker = "analysis_worker"
    case profileStorage = "profile_storage"
    case traitEvolution = "trait_evolution"
    case coachInteraction = "coach_interaction"
    case outboxRelay = "outbox_relay"
}

/// A consumer group on the bus. Every group receives every event it subscribes to; within a group each event
/// goes to one consumer. The analysis worker has two groups so that deep analysis, which may take seconds,
/// never holds back the instant phase.
public enum ConsumerGroup: String, Sendable, CaseIterable, Codable {
    case gateway
    case sessionManagement = "session_management"
    case questionSelection = "question_selection"
    case analysisInstant = "analysis_instant"
    case analysisDeep = "analysis_deep"
    case profileStorage = "profile_storage"
    /// Profile storage's second group: embeds changed profiles for similar-profile search, apart from the
    /// profile writes so a slow embedding model never delays them.
    case profileVectors = "profile_vectors"
    case traitEvolution = "trait_evolution"
    case coachInteraction = "coach_interaction"

    public var service: ServiceName {
        switch self {
        case .gateway: .gateway
        case .sessionManagement: .sessionManagement
        case .questionSelection: .questionSelection
        case .analysisInstant, .analysisDeep: .analysisWorker
        case .profileStorage, .profileVectors: .profileStorage
        case .traitEvolution: .traitEvolution
        case .coachInteraction: .coachInteraction
        }
    }
}

/// One line of the catalog: who emits an event (one service, except the parts of a /mydata copy, which every
/// service but the gateway emits, and a model's reading of danger, which the two services that reply to a
/// person's text emit), who consumes it, and where it sits in the seed's event flow.
public struct EventDescriptor: Sendable {
    public let type: EventType
    public let producers: [ServiceName]
    public let consumers: [ConsumerGroup]
    /// The step of the seed's "Complete User Journey" (1-19) this event realises, if any.
    public let flowStep: Int?
    public let summary: String
}

/// Every event of the system in one place. Subscriptions are derived from it, so a consumer that is not listed
/// here never sees the event.
public enum EventCatalog {
    public static let all: [EventDescriptor] = [
        .init(
            type: .onboardingInitiated, producers: [.gateway], consumers: [.sessionManagement], flowStep: 2,
            summary: "A consenting user starts (or returns to) onboarding."),
        .init(
            type: .sessionCreated, producers: [.sessionManagement], consumers: [.questionSelection, .gateway],
            flowStep: 3, summary: "A new onboarding session exists."),
        .init(
            type: .sessionResumed, producers: [.sessionManagement], consumers: [.questionSelection, .gateway],
            flowStep: nil, summary: "A paused or timed-out session is active again."),
        .init(
            type: .questionSelected, producers: [.questionSelection], consumers: [.gateway], flowStep: 4,
            summary: "Smart Mix picked the next question; the gateway shows it (steps 5 and 14)."),
        .init(
            type: .sessionFatigueDetected, producers: [.questionSelection], consumers: [.gateway], flowStep: nil,
            summary: "The person seems tired: offer a pause or a graceful end instead of a question."),
        .init(
            type: .questionPoolExhausted, producers: [.questionSelection], consumers: [.sessionManagement],
            flowStep: nil, summary: "No unasked question is left for this person; the session ends."),
        .init(
            type: .questionSkipped, producers: [.gateway], consumers: [.questionSelection, .sessionManagement],
            flowStep: nil, summary: "The user skipped the current question."),
        .init(
            type: .answerSubmitted, producers: [.gateway],
            consumers: [.analysisInstant, .analysisDeep, .sessionManagement], flowStep: 7,
            summary: "The user answered a question."),
        .init(
            type: .answerAnalyzedInstant, producers: [.analysisWorker], consumers: [.gateway, .questionSelection],
            flowStep: 8, summary: "Fast feedback on an answer; triggers the next question (step 9)."),
        .init(
            type: .answerAnalyzedDeep, producers: [.analysisWorker], consumers: [.coachInteraction], flowStep: 10,
            summary: "Background analysis of an answer: patterns and insights."),
        .init(
            type: .traitExtracted, producers: [.analysisWorker], consumers: [.profileStorage], flowStep: 11,
            summary: "Trait evidence from an answer, each value with confidence and source."),
        .init(
            type: .profileUpdated, producers: [.profileStorage],
            consumers: [.traitEvolution, .coachInteraction, .profileVectors],
            flowStep: 12, summary: "The profile changed; carries the changes and the new profile."),
        .init(
            type: .profileVectorUpdated, producers: [.profileStorage], consumers: [.coachInteraction], flowStep: nil,
            summary: "The profile's summary was embedded again; carries the vector, its model and the summary."),
        .init(
            type: .traitEvolutionDetected, producers: [.traitEvolution], consumers: [.profileStorage], flowStep: 13,
            summary: "A significant change or a pattern in a trait over time."),
        .init(
            type: .sessionPauseRequested, producers: [.gateway], consumers: [.sessionManagement], flowStep: nil,
            summary: "/pause"),
        .init(
            type: .sessionResumeRequested, producers: [.gateway], consumers: [.sessionManagement], flowStep: nil,
            summary: "/resume"),
        .init(
            type: .sessionEndRequested, producers: [.gateway], consumers: [.sessionManagement], flowStep: nil,
            summary: "/end"),
        .init(
            type: .sessionPaused, producers: [.sessionManagement], consumers: [.gateway, .questionSelection],
            flowStep: nil, summary: "The session is paused."),
        .init(
            type: .sessionTimedOut, producers: [.sessionManagement], consumers: [.gateway, .questionSelection],
            flowStep: nil, summary: "The session saw no activity for the timeout."),
        .init(
            type: .sessionCompleted, producers: [.sessionManagement],
            consumers: [.gateway, .questionSelection, .profileStorage], flowStep: 16,
            summary: "Onboarding finished (enough answers or /end)."),
        .init(
            type: .messageReceived, producers: [.gateway], consumers: [.coachInteraction],
            flowStep: 17, summary: "A free-chat message for the coach."),
        .init(
            type: .coachMessageReady, producers: [.coachInteraction], consumers: [.gateway], flowStep: 18,
            summary: "The coach's reply; the gateway sends it (step 19)."),
        .init(
            type: .safetyCrisisDetected, producers: [.gateway], consumers: [.sessionManagement], flowStep: nil,
            summary: "A message or answer showed signs of danger; the person got resources, the session pauses."),
        .init(
            type: .safetyCrisisSuspected, producers: [.analysisWorker, .coachInteraction], consumers: [.gateway],
            flowStep: nil,
            summary: "A model read danger in an answer or message the crisis patterns let through; the gateway "
                + "meets the person, and nothing replies to that text."),
        .init(
            type: .profileRequested, producers: [.gateway], consumers: [.profileStorage], flowStep: nil,
            summary: "/profile"),
        .init(
            type: .profileSnapshotReady, producers: [.profileStorage], consumers: [.gateway], flowStep: nil,
            summary: "A rendered view of the profile, after /profile or at the end of onboarding."),
        .init(
            type: .userErasureRequested, producers: [.gateway],
            consumers: ConsumerGroup.allCases.filter { $0 != .gateway }, flowStep: nil,
            summary: "/forget, confirmed: every service deletes what it keeps about the person (the gateway at once)."),
        .init(
            type: .userDataRequested, producers: [.gateway],
            consumers: ConsumerGroup.allCases.filter { $0 != .gateway }, flowStep: nil,
            summary: "/mydata: every service collects what it keeps about the person."),
        .init(
            type: .userDataCollected,
            producers: ServiceName.allCases.filter { $0 != .gateway && $0 != .outboxRelay }, consumers: [.gateway],
            flowStep: nil,
            summary: "One service's rows about the person; the gateway sends all the parts as one file."),
    ]

    /// The payload type of each event, so an envelope can be decoded without its consumer naming the type.
    public static let payloadTypes: [EventType: any EventPayload.Type] = Dictionary(
        uniqueKeysWithValues: payloads.map { ($0.eventType, $0) })

    private static let payloads: [any EventPayload.Type] = [
        OnboardingInitiated.self, SessionCreated.self, SessionResumed.self, QuestionSelected.self,
        SessionFatigueDetected.self, QuestionPoolExhausted.self, QuestionSkipped.self, AnswerSubmitted.self,
        AnswerAnalyzedInstant.self, AnswerAnalyzedDeep.self, TraitExtracted.self, ProfileUpdated.self,
        TraitEvolutionDetected.self, ProfileVectorUpdated.self, SessionPauseRequested.self,
        SessionResumeRequested.self, SessionEndRequested.self, SessionPaused.self, SessionTimedOut.self,
        SessionCompleted.self, MessageReceived.self, CoachMessageReady.self, SafetyCrisisDetected.self,
        SafetyCrisisSuspected.self,
        ProfileRequested.self, ProfileSnapshotReady.self, UserErasureRequested.self, UserDataRequested.self,
        UserDataCollected.self,
    ]

    /// The event types a consumer group subscribes to.
    public static func subscriptions(of group: ConsumerGroup) -> Set<EventType> {
        Set(all.filter { $0.consumers.contains(group) }.map(\.type))
    }

    /// The groups that consume events of this type (none for a type the catalog does not know).
    public static func consumers(of type: EventType) -> [ConsumerGroup] { consumersByType[type] ?? [] }

    private static let consumersByType: [EventType: [ConsumerGroup]] = Dictionary(
        all.map { ($0.type, $0.consumers) }, uniquingKeysWith: { $0 + $1 })
}

extension EventType {
    public static let onboardingInitiated = EventType(rawValue: "user.onboarding.initiated")
    public static let sessionCreated = EventType(rawValue: "session.created")
    public static let sessionResumed = EventType(rawValue: "session.resumed")
    public static let questionSelected = EventType(rawValue: "question.selected")
    public static let sessionFatigueDetected = EventType(rawValue: "session.fatigue.detected")
    public static let questionPoolExhausted = EventType(rawValue: "question.pool.exhausted")
    public static let questionSkipped = EventType(rawValue: "question.skipped")
    public static let answerSubmitted = EventType(rawValue: "user.answer.submitted")
    public static let answerAnalyzedInstant = EventType(rawValue: "answer.analyzed.instant")
    public static let answerAnalyzedDeep = EventType(rawValue: "answer.analyzed.deep")
    public static let traitExtracted = EventType(rawValue: "trait.extracted")
    public static let profileUpdated = EventType(rawValue: "profile.updated")
    public static let traitEvolutionDetected = EventType(rawValue: "trait.evolution.detected")
    public static let profileVectorUpdated = EventType(rawValue: "profile.vector.updated")
    public static let sessionPauseRequested = EventType(rawValue: "session.pause.requested")
    public static let sessionResumeRequested = EventType(rawValue: "session.resume.requested")
    public static let sessionEndRequested = EventType(rawValue: "session.end.requested")
    public static let sessionPaused = EventType(rawValue: "session.paused")
    public static let sessionTimedOut = EventType(rawValue: "session.timed_out")
    public static let sessionCompleted = EventType(rawValue: "session.completed")
    public static let messageReceived = EventType(rawValue: "user.message.received")
    public static let coachMessageReady = EventType(rawValue: "coach.message.ready")
    public static let safetyCrisisDetected = EventType(rawValue: "safety.crisis.detected")
    public static let safetyCrisisSuspected = EventType(rawValue: "safety.crisis.suspected")
    public static let profileRequested = EventType(rawValue: "profile.requested")
    public static let profileSnapshotReady = EventType(rawValue: "profile.snapshot.ready")
    public static let userErasureRequested = EventType(rawValue: "user.erasure.requested")
    public static let userDataRequested = EventType(rawValue: "user.data.requested")
    public static let userDataCollected = EventType(rawValue: "user.data.collected")
}
