import Logging
import SelfologyContent
import SelfologyCore
import SelfologyServices

/// The one place that knows which handler serves which consumer group. Both runtimes build their consumers
/// from this list; they differ only in the adapters they pass in.
public enum ServiceAssembly {
    public static func handlers(
        content: ContentLibrary, configuration: RuntimeConfiguration, ids: any IDGenerator,
        dispatchSignal: WakeSignal, logger: Logger
    ) -> [any EventHandler] {
        [
            GatewayHandler(dispatchSignal: dispatchSignal),
            SessionManagementHandler(settings: configuration.session, ids: ids),
            QuestionSelectionHandler(bank: content.bank, seed: configuration.selectionSeed),
            InstantAnalysisHandler(bank: content.bank, analyzer: InstantAnalyzer(lexicons: content.sentiment)),
            DeepAnalysisHandler(
                bank: content.bank, analyzer: DeepAnalyzer(lexicons: content.sentiment, cues: content.traitCues),
                logger: logger),
            ProfileStorageHandler(),
            TraitEvolutionHandler(),
            CoachInteractionHandler(coach: LocalCoach(lexicons: content.sentiment)),
        ]
    }
}
