/// The events from other services that the gateway turns into messages.
public enum GatewayEvent: Sendable {
    case sessionStarted(SessionStarted, resumed: Bool)
    case questionSelected(QuestionSelected)
    case breakOffered(SessionFatigueDetected)
    /// With the trace of the answer it is about.
    case instantFeedback(AnswerAnalyzedInstant, trace: String)
    case sessionPaused(SessionStopped)
    case sessionTimedOut(SessionStopped)
    case sessionCompleted(SessionStopped)
    case coachReply(CoachMessageReady)
    case profileSnapshot(ProfileSnapshotReady)
}

extension ConversationMachine {
    /// Applies an event from another service. Events about a session the person has left (a stale question
    /// arriving after /pause or after a new /start) change nothing.
    public static func handle(_ event: GatewayEvent, state: ChatState) -> ChatReaction {
        var reaction = ChatReaction(state: state)
        switch event {
        case .sessionStarted(let session, let resumed):
            guard state.phase.isOnboarding else { break }
            reaction.state.sessionID = session.sessionID
            if resumed && state.phase == .onboardingPaused { reaction.state.phase = .onboardingActive }
        case .questionSelected(let question):
            guard [.onboardingActive, .processingAnswer, .waitingForAnswer].contains(state.phase),
                state.sessionID == nil || state.sessionID == question.sessionID
            else { break }
            reaction.state.sessionID = question.sessionID
            reaction.state.phase = .waitingForAnswer
            reaction.state.pendingQuestion = PendingQuestion(
                questionID: question.questionID, isScale: question.isScale, ordinal: question.ordinal)
            present(question, into: &reaction)
        case .breakOffered(let offer):
            guard [.onboardingActive, .processingAnswer].contains(state.phase), offer.sessionID == state.sessionID
            else { break }
            reaction.state.phase = .breakOffered
            reaction.say(BotTexts.breakOffer, buttons: breakButtons(state.language))
        case .instantFeedback(let feedback, let trace):
            // Feedback on an answer a model read danger in would be cheerful words beside the care it was met with.
            guard feedback.sessionID == state.sessionID, trace != state.crisisTrace else { break }
            reaction.replies.append(OutgoingMessage(feedback.analysis.insight))
        case .sessionPaused(let session):
            guard session.sessionID == state.sessionID, state.phase.isOnboarding else { break }
            reaction.state.phase = .onboardingPaused
            reaction.state.pendingQuestion = nil
            // After a crisis the person was already answered with care; "Paused." would only be cold.
            if session.reason != .safety { reaction.say(BotTexts.paused) }
        case .sessionTimedOut(let session):
            guard session.sessionID == state.sessionID, state.phase.isOnboarding else { break }
            reaction.state.phase = .onboardingPaused
            reaction.state.pendingQuestion = nil
            reaction.say(BotTexts.timedOut)
        case .sessionCompleted(let session):
            guard session.sessionID == state.sessionID, state.phase.isOnboarding else { break }
            reaction.state.phase = .onboardingComplete
            reaction.state.pendingQuestion = nil
            reaction.say(BotTexts.onboardingComplete)
        case .coachReply(let reply):
            reaction.replies.append(OutgoingMessage(reply.text))
        case .profileSnapshot(let snapshot):
            reaction.replies.append(OutgoingMessage(ProfileRenderer.render(snapshot, language: state.language)))
            if snapshot.reason == .onboardingCompleted && state.phase == .onboardingComplete {
                reaction.state.phase = .chatActive
                reaction.say(BotTexts.chatInvitation)
            }
        }
        return reaction
    }

    static func breakButtons(_ language: Language) -> [[OutgoingMessage.Button]] {
        [
            [
                .init(title: BotTexts.breakPause[language], action: .breakChoice(.pause)),
                .init(title: BotTexts.breakFinish[language], action: .breakChoice(.finish)),
                .init(title: BotTexts.breakGoOn[language], action: .breakChoice(.goOn)),
            ]
        ]
    }

    private static func present(_ question: QuestionSelected, into reaction: inout ChatReaction) {
        let language = reaction.state.language
        let header = BotTexts.questionHeader(ordinal: question.ordinal, target: question.targetAnswers)[language]
        var text = "\(header)\n\n\(question.text[language])"
        var buttons: [[OutgoingMessage.Button]] = []
        if question.isScale {
            text += "\n\n\(BotTexts.scaleHint[language])"
            buttons = [
                (1...5).map { .init(title: String($0), action: .scale(questionID: question.questionID, value: $0)) }
            ]
        }
        reaction.replies.append(OutgoingMessage(text, buttons: buttons))
    }
}
