import Foundation
import SQLKit
import SelfologyCore

/// Puts a person's copy of their data together after /mydata. Every other consumer group answers the request
/// with its part (`user.data.collected`, in the request's trace); the gateway keeps the parts until the last one
/// is in, adds its own tables, and sends the whole as one file. Parts of a request that never completes (a service
/// down for a day) are deleted by the housekeeping.
enum DataCopies {
    static let table = "data_copy_parts"

    /// The groups whose parts make a copy complete.
    static let contributors = Set(EventCatalog.consumers(of: .userDataRequested))

    /// Keeps `part`; once every contributor's part of this request is in, returns the message with the file and
    /// deletes the parts. A part delivered twice is kept once.
    static func add(
        _ part: UserDataCollected, of event: EventEnvelope, language: Language, now: Date, in db: any SQLDatabase
    ) async throws -> OutgoingMessage? {
        let (user, trace) = (event.userID, event.traceID)
        try await db.insert(into: table).columns("user_id", "trace_id", "consumer", "part", "received_at")
            .values(
                SQLBind(user.rawValue), SQLBind(trace), SQLBind(part.group.rawValue),
                SQLBind(try EventCoding.encodeToString(part)), SQLBind(now)
            )
            .ignoringConflicts(with: ["user_id", "trace_id", "consumer"])
            .run()
        // Which parts are in, before reading any: a part may be large, and only the last one needs them all.
        let arrived = try await db.select().columns("consumer").from(table)
            .where("user_id", .equal, user.rawValue).where("trace_id", .equal, trace).all()
            .map { try $0.decode(column: "consumer", as: String.self) }
        guard contributors.map(\.rawValue).allSatisfy(arrived.contains) else { return nil }

        let stored = try await db.select().columns("part").from(table)
            .where("user_id", .equal, user.rawValue).where("trace_id", .equal, trace).all()
            .map {
                try EventCoding.decode(UserDataCollected.self, from: try $0.decode(column: "part", as: String.self))
            }
        let parts = [try await gatewayPart(of: user, in: db)] + stored
        let document = try PersonalDataCopy.document(of: user, language: language, madeAt: now, parts: parts)
        try await db.delete(from: table).where("user_id", .equal, user.rawValue).where("trace_id", .equal, trace).run()
        return OutgoingMessage(
            BotTexts.dataReady[language],
            document: .init(fileName: PersonalDataCopy.fileName(madeAt: now), contents: document))
    }

    /// Deletes the parts of requests older than `cutoff`; returns how many.
    static func deleteParts(before cutoff: Date, in db: any SQLDatabase) async throws -> Int {
        try await db.delete(from: table).where("received_at", .lessThan, cutoff).returning("user_id").all().count
    }

    /// The gateway's own rows. An earlier copy among the messages shows by its file name only: copies inside
    /// copies would double the file each time.
    private static func gatewayPart(of user: UserID, in db: any SQLDatabase) async throws -> UserDataCollected {
        let tables = try await PersonalRows.copy(of: user, from: GatewayStore.personalTables, in: db).map { table in
            UserDataCollected.Table(name: table.name, rows: table.rows.map(withoutDocumentContents))
        }
        return UserDataCollected(group: .gateway, tables: tables)
    }

    private static func withoutDocumentContents(_ row: JSONValue) -> JSONValue {
        guard case .object(var columns) = row, case .object(var body)? = columns["body"],
            case .object(let document)? = body["document"]
        else { return row }
        body["document"] = .object(document.filter { $0.key == "fileName" })
        columns["body"] = .object(body)
        return .object(columns)
    }
}
