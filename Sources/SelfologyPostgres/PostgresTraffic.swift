import Synchronization

/// What a process has asked of PostgreSQL: statements (each a round trip, BEGIN and COMMIT included) and the
/// transactions among them. The benchmark reports them per answer: unlike time, they do not drift with the
/// machine's speed.
public struct PostgresTraffic: Sendable, Equatable {
    public var statements: Int
    public var transactions: Int

    public init(statements: Int = 0, transactions: Int = 0) {
        self.statements = statements
        self.transactions = transactions
    }

    public static func - (after: PostgresTraffic, before: PostgresTraffic) -> PostgresTraffic {
        PostgresTraffic(
            statements: after.statements - before.statements, transactions: after.transactions - before.transactions)
    }
}

/// Counts a store's traffic without a lock: a relaxed increment per statement.
final class PostgresTrafficCounter: Sendable {
    private let statements = Atomic<Int>(0)
    private let transactions = Atomic<Int>(0)

    func countStatement() { statements.wrappingAdd(1, ordering: .relaxed) }
    func countTransaction() { transactions.wrappingAdd(1, ordering: .relaxed) }

    var traffic: PostgresTraffic {
        PostgresTraffic(
            statements: statements.load(ordering: .relaxed), transactions: transactions.load(ordering: .relaxed))
    }
}
