import Foundation
import SQLKit

/// A versioned schema change. Migrations run in order, each in its own transaction, and are recorded in
/// `schema_migrations`, so `migrate` is safe to run any number of times.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let apply: @Sendable (any SQLDatabase) async throws -> Void
}

public enum Migrator {
    public static func migrate(_ database: any Database, migrations: [Migration] = SchemaV1.migrations) async throws
        -> [Migration]
    {
        try await database.transaction { db in
            try await serialize(db)
            try await db.create(table: "schema_migrations").ifNotExists()
                .column("version", type: .bigint, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("applied_at", type: .custom(SQLRaw(db.timestampType)), .notNull)
                .run()
        }
        var applied: [Migration] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            let didApply = try await database.transaction { db -> Bool in
                // Checked under the lock, so two processes starting together apply each migration once.
                try await serialize(db)
                let done =
                    try await db.select().column("version").from("schema_migrations")
                    .where("version", .equal, migration.version).first() != nil
                guard !done else { return false }
                try await migration.apply(db)
                try await db.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(SQLBind(migration.version), SQLBind(migration.name), SQLBind(Date()))
                    .run()
                return true
            }
            if didApply { applied.append(migration) }
        }
        return applied
    }

    /// PostgreSQL: a transaction-scoped advisory lock, so concurrent processes migrate one after the other.
    /// SQLite needs nothing: its write transactions are already exclusive.
    static func serialize(_ db: any SQLDatabase) async throws {
        guard db.isPostgres else { return }
        try await db.raw("SELECT pg_advisory_xact_lock(\(literal: 5_121_906))").run()
    }
}
