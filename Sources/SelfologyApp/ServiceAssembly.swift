import Logging
import SelfologyContent
import SelfologyCore
import SelfologyServices

/// The one place that knows which handler serves which consumer group. Both runtimes build their consumers
/// from this list; they differ only in the adapters they pass in.
public enum ServiceAssembly {
    public static func handlers(
        content: ContentLibrary, configuration: RuntimeConfiguration, ids: any IDGenerator,
        handoff: DispatchHandoff, safety: SafetyPolicy, intelligence: Intelligences, database: any Database,
        logger: Logger
    ) -> [any EventHandler] {
        [
            GatewayHandler(handoff: handoff, safety: safety),
            SessionManagementHandler(settings: configuration.session, ids: ids),
            QuestionSelectionHandler(bank: content.bank, seed: configuration.selectionSeed),
            InstantAnalysisHandler(bank: content.bank, intelligence: intelligence.intelligence),
            DeepAnalysisHandler(bank: content.bank, intelligence: intelligence.intelligence, logger: logger),
            ProfileStorageHandler(),
            ProfileVectorHandler(
                intelligence: intelligence.intelligence, mirror: intelligence.vectorIndex, logger: logger),
            TraitEvolutionHandler(),
            CoachInteractionHandler(
                intelligence: intelligence.intelligence,
                search: ProfileSearch(database: database, external: intelligence.vectorIndex, logger: logger)),
        ]
    }

    /// The offline tier on its own: the embedded default.
    public static func localIntelligence(content: ContentLibrary) -> LocalIntelligence {
        LocalIntelligence(
            instant: InstantAnalyzer(lexicons: content.sentiment),
            deep: DeepAnalyzer(lexicons: content.sentiment, cues: content.traitCues),
            coach: LocalCoach(lexicons: content.sentiment))
    }
}
