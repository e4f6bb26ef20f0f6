import Foundation
import SQLKit
import SelfologyApp
import SelfologyCore
import Testing

@testable import SelfologyServices

@Suite("/mydata: a copy of everything kept about the person")
struct DataCopyTests {
    let alice = TerminalChat.userID(forName: "alice")
    let bob = TerminalChat.userID(forName: "bob")

    /// Tables of the runtime itself, not of a service: the outbox's copies of events, idempotency marks, dead
    /// letters, the records of erasures and the copy's own parts in waiting. The document says the first are left
    /// out.
    static let runtimeTables: Set<String> = [
        "event_outbox", "dead_letters", PersonErasure.table, DataCopies.table,
    ]

    @Test(
        "after onboarding and a chat, /mydata sends one file holding every row about the person, and no one else's",
        arguments: TestStore.available, TestBus.available)
    func copiesEverything(store: TestStore, bus: TestBus) async throws {
        let test = try await TestRuntime(store: store, redisStreams: bus == .redis, targetAnswers: 3)
        try await ErasureTests.onboard(alice, on: test, chat: true)
        try await ErasureTests.onboard(bob, on: test, chat: true)

        let replies = try await test.say("/mydata", as: alice)
        #expect(replies.first?.text == BotTexts.dataRequested[.en])
        let files = replies.compactMap(\.document)
        try #require(files.count == 1)
        #expect(replies.last?.text == BotTexts.dataReady[.en])
        #expect(files[0].fileName.hasPrefix("selfology-my-data-") && files[0].fileName.hasSuffix(".json"))
        let document = try JSONValue.parse(files[0].contents)
        let services = try #require(Self.members(document["services"]))
        #expect(Set(services.keys) == Set(ConsumerGroup.allCases.map(\.rawValue)))

        // Every table of the store with rows about people, read from its own catalogue: the copy holds as many
        // of the person's rows as the table (model usage is written by four groups, each copying its own).
        var copied: [String: Int] = [:]
        for case .object(let tables) in services.values {
            for case (let table, .array(let rows)) in tables { copied[table, default: 0] += rows.count }
        }
        for table in try await ErasureTests.tablesWithPeople(test) where !Self.runtimeTables.contains(table) {
            var stored = try await test.count(table, where: "user_id", equals: alice.rawValue)
            // The message carrying the copy was queued after the copy was made.
            if table == "outgoing_messages" { stored -= 1 }
            #expect(copied[table] == stored, "\(table): \(copied[table] ?? 0) copied of \(stored)")
        }
        for table in ["gateway_users", "user_answers_new", "personality_profiles", "trait_history", "conversations"] {
            #expect((copied[table] ?? 0) > 0, "\(table)")
        }
        #expect(files[0].contents.contains("Work has been heavy and I keep putting things off"))
        #expect(!files[0].contents.contains(bob.rawValue), "nobody else's rows")
        #expect(try await test.count(DataCopies.table) == 0, "the parts are deleted once sent")

        // As the services stored it, in a readable form on both stores: times as text, profiles as JSON.
        let profiles = try #require(Self.rows(services, "profile_storage", "personality_profiles"))
        #expect(Self.members(profiles.first?["profile_data"]) != nil)
        #expect(Self.isText(profiles.first?["updated_at"]))
        let answers = try #require(Self.rows(services, "session_management", "user_answers_new"))
        #expect(answers.count == 3)
        #expect(Self.isText(answers.first?["created_at"]))
        try await test.stop()
    }

    @Test("a second copy shows the first by its file name only; before consent nothing is kept, so nothing is sent")
    func copiesDoNotNest() async throws {
        let test = try await TestRuntime(store: .sqlite, targetAnswers: 3)
        #expect(try await test.say("/mydata", as: alice).map(\.text) == [BotTexts.nothingStored[.en]])
        try await ErasureTests.onboard(alice, on: test, chat: false)
        let first = try #require(try await test.say("/mydata", as: alice).compactMap(\.document).first)
        let second = try #require(try await test.say("/mydata", as: alice).compactMap(\.document).first)
        #expect(!second.contents.contains(first.contents))
        let services = try #require(Self.members(try JSONValue.parse(second.contents)["services"]))
        let messages = try #require(Self.rows(services, "gateway", "outgoing_messages"))
        let documents = messages.compactMap { Self.members($0["body"])?["document"] }
        #expect(documents == [.object(["fileName": .string(first.fileName)])])
        try await test.stop()
    }

    @Test("/forget deletes a copy's parts in waiting; the housekeeping deletes parts of a copy that never completed")
    func partsInWaitingGo() async throws {
        let test = try await TestRuntime(store: .sqlite, targetAnswers: 3, startServices: false)
        let database = test.runtime.database
        let now = Date()
        let part = UserDataCollected(group: .coachInteraction, tables: [])
        let event = try EventEnvelope(
            id: EventID("part"), occurredAt: now, traceID: "trace", userID: alice, payload: part)
        try await database.transaction { db in
            _ = try await DataCopies.add(
                part, of: event, language: .en, now: now.addingTimeInterval(-2 * 86400), in: db)
            _ = try await DataCopies.add(part, of: event.about(bob), language: .en, now: now, in: db)
        }
        #expect(try await test.count(DataCopies.table) == 2)
        try await database.transaction { db in try await GatewayStore.forget(bob, in: db) }
        #expect(try await test.count(DataCopies.table, where: "user_id", equals: bob.rawValue) == 0)
        let housekeeping = GatewayHousekeeping(
            database: database, clock: SystemWallClock(), settings: .init(), logger: .init(label: "test"))
        try await housekeeping.sweep()
        #expect(try await test.count(DataCopies.table) == 0)
        try await test.stop()
    }

    static func members(_ value: JSONValue?) -> [String: JSONValue]? {
        if case .object(let members)? = value { return members }
        return nil
    }

    static func rows(_ services: [String: JSONValue], _ group: String, _ table: String) -> [JSONValue]? {
        if case .array(let rows)? = members(services[group])?[table] { return rows }
        return nil
    }

    static func isText(_ value: JSONValue?) -> Bool {
        if case .string? = value { return true }
        return false
    }
}

extension JSONValue {
    fileprivate subscript(key: String) -> JSONValue? { DataCopyTests.members(self)?[key] }
}

extension EventEnvelope {
    fileprivate func about(_ user: UserID) -> EventEnvelope {
        EventEnvelope(
            id: id, type: type, version: version, occurredAt: occurredAt, traceID: traceID, userID: user,
            payload: payload)
    }
}
