import Foundation
import SQLKit
import SelfologyCore

/// Events a consumer group set aside after failing them too often (`ProcessedEvents.recordDeadLetter`), and
/// putting them back once the cause is gone: a store outage fails every event alike, so a long one sets many aside.
public enum DeadLetters {
    public struct Letter: Sendable, Equatable {
        public let id: Int64
        public let group: String
        public let eventID: EventID
        public let eventType: String
        public let attempts: Int
        public let error: String
        public let failedAt: Date
    }

    public enum Requeued: Sendable, Equatable {
        /// The group will apply the event when the relay publishes it again.
        case requeued
        /// The event's outbox row was deleted after the retention period: there is nothing left to publish, and
        /// the letter stays.
        case gone
    }

    /// The dead letters, oldest first; of one group if given.
    public static func list(group: ConsumerGroup? = nil, in db: any SQLDatabase) async throws -> [Letter] {
        var query = db.select()
            .columns("id", "consumer", "event_id", "event_type", "attempts", "error", "failed_at")
            .from("dead_letters")
            .orderBy("id")
        if let group { query = query.where("consumer", .equal, group.rawValue) }
        return try await query.all().map { row in
            Letter(
                id: try row.decode(column: "id", as: Int64.self),
                group: try row.decode(column: "consumer", as: String.self),
                eventID: EventID(try row.decode(column: "event_id", as: String.self)),
                eventType: try row.decode(column: "event_type", as: String.self),
                attempts: try row.decode(column: "attempts", as: Int.self),
                error: try row.decode(column: "error", as: String.self),
                failedAt: try row.decode(column: "failed_at", as: Date.self))
        }
    }

    /// Puts a letter back, in the caller's transaction: its outbox row becomes pending again, so the relay
    /// publishes the event again (its first poll, within a second), and the group's idempotency mark is removed,
    /// so that group applies it. Every other group that consumes it kept its mark and skips it. The event comes
    /// after its person's later events, which were applied meanwhile.
    public static func requeue(_ letter: Letter, in db: any SQLDatabase) async throws -> Requeued {
        guard try await OutboxStore.republish(letter.eventID, in: db) else { return .gone }
        try await ProcessedEvents.forget(letter.eventID, byGroupNamed: letter.group, in: db)
        try await db.delete(from: "dead_letters").where("id", .equal, letter.id).run()
        return .requeued
    }
}
