import SelfologyContent

/// The bundled content, loaded once for the whole test process. Building it (the crisis detector's expressions
/// above all) takes the better part of a second in a debug build, and Swift Testing makes a suite instance per
/// test: loading it in each suite's `init` kept both cores busy for seconds at the start of the run, long enough
/// for other suites' Redis calls to time out.
enum BundledContent {
    static let library: ContentLibrary = {
        do { return try ContentLibrary.bundled() } catch { fatalError("bundled content must load: \(error)") }
    }()
}
