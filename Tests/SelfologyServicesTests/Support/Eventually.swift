/// Polls `condition` until it holds; throws once `limit` has passed without it. For what a service does on its
/// own time (a relay round, a checkpoint, a delivery), which a test can only wait for.
func eventually(within limit: Duration = .seconds(15), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestFailure("condition not met within \(limit)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}
