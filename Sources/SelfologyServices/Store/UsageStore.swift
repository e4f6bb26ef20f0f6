import Foundation
import SQLKit
import SelfologyCore

/// `ai_usage`: model calls summed per UTC day, person, task, tier and model. Written in the transaction of the
/// effect the calls produced, so a rolled-back event is not counted and a redelivered one is not counted twice.
public enum UsageStore {
    public static func record(_ usage: [ModelUsage], user: UserID, now: Date, in db: any SQLDatabase) async throws {
        try await record(usage.map { (user, $0) }, now: now, in: db)
    }

    /// The calls of a batch's events, several people's, in one statement.
    public static func record(_ calls: [(user: UserID, usage: ModelUsage)], now: Date, in db: any SQLDatabase)
        async throws
    {
        guard !calls.isEmpty else { return }
        let day = self.day(of: now)
        // One row per key: a batch may hold two calls of the same model (a retry), and an upsert cannot touch a
        // row twice in one statement.
        var rows:
            [String: (
                user: UserID, usage: ModelUsage, calls: Int64, failures: Int64, input: Int64, output: Int64,
                cost: Int64
            )] = [:]
        for (user, item) in calls {
            let key = "\(user.rawValue)|\(item.task.rawValue)|\(item.tier)|\(item.model)"
            var row = rows[key] ?? (user, item, 0, 0, 0, 0, 0)
            row.calls += 1
            row.failures += item.outcome == .failed ? 1 : 0
            row.input += Int64(item.inputTokens)
            row.output += Int64(item.outputTokens)
            row.cost += item.costMicros
            rows[key] = row
        }
        let insert = db.insert(into: "ai_usage").columns(
            "day", "user_id", "task", "tier", "model", "calls", "failures", "input_tokens", "output_tokens",
            "cost_micros")
        for (_, row) in rows.sorted(by: { $0.key < $1.key }) {
            insert.values(
                SQLBind(day), SQLBind(row.user.rawValue), SQLBind(row.usage.task.rawValue), SQLBind(row.usage.tier),
                SQLBind(row.usage.model), SQLBind(row.calls), SQLBind(row.failures), SQLBind(row.input),
                SQLBind(row.output), SQLBind(row.cost))
        }
        try await insert.onConflict(with: ["day", "user_id", "task", "tier", "model"]) { update in
            for column in ["calls", "failures", "input_tokens", "output_tokens", "cost_micros"] {
                update.set(
                    column,
                    to: SQLBinaryExpression(
                        SQLColumn(column, table: "ai_usage"), .add, SQLExcludedColumn(column)))
            }
            return update
        }
        .run()
    }

    /// Spend so far on `day` by one person and by everyone, in millionths of a dollar.
    public static func spent(on day: String, by user: UserID, in db: any SQLDatabase) async throws
        -> (user: Int64, total: Int64)
    {
        let total = try await sum(db.select().from("ai_usage").where("day", .equal, day))
        let mine = try await sum(
            db.select().from("ai_usage").where("day", .equal, day).where("user_id", .equal, user.rawValue))
        return (mine, total)
    }

    /// PostgreSQL sums BIGINT as NUMERIC and both stores sum no rows as NULL, hence the cast and the COALESCE.
    private static func sum(_ query: SQLSelectBuilder) async throws -> Int64 {
        try await query.column(SQLRaw("CAST(COALESCE(SUM(cost_micros), 0) AS BIGINT) AS spent")).first()?
            .decode(column: "spent", as: Int64.self) ?? 0
    }

    public struct Row: Sendable, Equatable {
        public let day: String
        public let task: String
        public let tier: String
        public let model: String
        public let calls: Int64
        public let failures: Int64
        public let inputTokens: Int64
        public let outputTokens: Int64
        public let costMicros: Int64
        /// People who caused these calls.
        public let people: Int64
    }

    /// Usage from `firstDay` on, summed over people, per day, task, tier and model.
    public static func rows(since firstDay: String, in db: any SQLDatabase) async throws -> [Row] {
        func total(_ column: String) -> SQLRaw { SQLRaw("CAST(SUM(\(column)) AS BIGINT) AS \(column)") }
        return try await db.select()
            .columns("day", "task", "tier", "model")
            .column(total("calls")).column(total("failures")).column(total("input_tokens"))
            .column(total("output_tokens")).column(total("cost_micros"))
            .column(SQLRaw("CAST(COUNT(DISTINCT user_id) AS BIGINT) AS people"))
            .from("ai_usage").where("day", .greaterThanOrEqual, firstDay)
            .groupBy("day").groupBy("task").groupBy("tier").groupBy("model")
            .orderBy("day").orderBy("task").orderBy("tier").orderBy("model")
            .all()
            .map { row in
                Row(
                    day: try row.decode(column: "day", as: String.self),
                    task: try row.decode(column: "task", as: String.self),
                    tier: try row.decode(column: "tier", as: String.self),
                    model: try row.decode(column: "model", as: String.self),
                    calls: try row.decode(column: "calls", as: Int64.self),
                    failures: try row.decode(column: "failures", as: Int64.self),
                    inputTokens: try row.decode(column: "input_tokens", as: Int64.self),
                    outputTokens: try row.decode(column: "output_tokens", as: Int64.self),
                    costMicros: try row.decode(column: "cost_micros", as: Int64.self),
                    people: try row.decode(column: "people", as: Int64.self))
            }
    }

    /// The UTC day budgets are counted in.
    public static func day(of date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
