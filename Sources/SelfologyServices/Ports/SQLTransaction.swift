import SQLKit

extension SQLDatabase {
    /// Runs `body` between `begin` and COMMIT on this session, rolling back if it throws. For store adapters,
    /// which must make sure the session is one connection that nobody else uses meanwhile.
    public func runTransaction<T: Sendable>(
        begin: String = "BEGIN", _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await raw(SQLQueryString(stringLiteral: begin)).run()
        do {
            let value = try await body(self)
            try await raw("COMMIT").run()
            return value
        } catch {
            try? await raw("ROLLBACK").run()
            throw error
        }
    }
}
