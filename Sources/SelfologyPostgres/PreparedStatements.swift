import Foundation
import PostgresKit
import Synchronization

/// Runs the store's statements as named prepared statements: each distinct statement is parsed, analysed and
/// planned by PostgreSQL once per connection, and afterwards only bound and executed. Sent as unnamed
/// statements, as PostgresKit does, that work was repeated every time: a third of the server's CPU at light load
/// (perf: parse 5%, analysis 10%, planning 19%), where an answer costs about a hundred small statements.
///
/// PostgresNIO prepares and caches statements per connection by their type's static `name` and `sql`; ours
/// are known only at run time, so `NamedStatement` reads them from a task-local set around the call.
/// A test checks that they are really prepared on the server, so a PostgresNIO that stopped reading them in
/// the caller's task would fail it rather than go unnoticed.
final class PreparedStatements: Sendable {
    /// Distinct statements prepared at most; later ones run unnamed. This bounds what each connection keeps
    /// on the server.
    let limit: Int
    /// Runs of a statement in this process before it is prepared. Batches of different sizes are different
    /// statements and most sizes come rarely, while preparing costs a round trip and server memory on every
    /// connection: only the frequent ones are worth it. Runs are counted for at most `limit` × 16 statements.
    let threshold: Int
    private let state = Mutex(State())

    private struct State {
        var runs: [Key: Int] = [:]
        var names: [Key: String] = [:]
        /// Statements that failed on a connection. PostgresNIO keeps a failed preparation as failed for that
        /// connection's life (one prepared in a transaction that had already failed, say), so they run unnamed there.
        var refused: Set<Refusal> = []
    }

    private struct Key: Hashable {
        let sql: String
        let types: [PostgresDataType]
    }

    private struct Refusal: Hashable {
        let name: String
        let connection: PostgresConnection.ID
    }

    init(limit: Int = 256, threshold: Int = 16) {
        self.limit = limit
        self.threshold = threshold
    }

    /// The name to prepare this statement under on `connection`, or nil to run it unnamed.
    func name(sql: String, types: [PostgresDataType], on connection: PostgresConnection.ID) -> String? {
        state.withLock { state in
            let key = Key(sql: sql, types: types)
            let name: String
            if let known = state.names[key] {
                name = known
            } else {
                guard state.names.count < limit, state.runs.count < limit * 16 || state.runs[key] != nil else {
                    return nil
                }
                let runs = state.runs[key, default: 0] + 1
                guard runs >= threshold else {
                    state.runs[key] = runs
                    return nil
                }
                state.runs[key] = nil
                name = "selfology_\(state.names.count)"
                state.names[key] = name
            }
            return state.refused.contains(Refusal(name: name, connection: connection)) ? nil : name
        }
    }

    func refuse(_ name: String, on connection: PostgresConnection.ID) {
        state.withLock { state in
            // Connections come and go; forgetting old refusals only costs another failed try.
            if state.refused.count > 10_000 { state.refused.removeAll() }
            state.refused.insert(Refusal(name: name, connection: connection))
        }
    }
}

/// A statement's bound values with their types, which name it together with its text: the same text bound
/// with a NULL where it once had a date is planned apart.
struct BoundValues {
    var bindings = PostgresBindings()
    var types: [PostgresDataType] = []

    /// Nil when a value needs PostgresKit's general Encodable path; such statements run unnamed.
    init?(_ binds: [any Encodable & Sendable]) {
        bindings = PostgresBindings(capacity: binds.count)
        types.reserveCapacity(binds.count)
        for bind in binds {
            if append(common: bind) { continue }
            if Self.isNil(bind) {
                bindings.appendNull()
                types.append(.null)
            } else if let value = bind as? any PostgresThrowingDynamicTypeEncodable {
                guard (try? bindings.append(value)) != nil else { return nil }
                types.append(value.psqlType)
            } else {
                return nil
            }
        }
    }

    /// The store's usual values, bound without asking for their conformances: a cast to a concrete type compares
    /// type metadata, where a cast to `PostgresThrowingDynamicTypeEncodable` or to `OptionalValue` looks the
    /// conformance up. Those lookups made this initialiser 5% of the distributed runtime's CPU at full load.
    /// The types are what those protocols give for the same values, so the statement's name is the same too.
    private mutating func append(common bind: any Encodable & Sendable) -> Bool {
        switch bind {
        case let value as String: append(value)
        case let value as Date: append(value)
        case let value as Int: append(value)
        case let value as Int64: append(value)
        case let value as Double: append(value)
        default: return false
        }
        return true
    }

    private mutating func append<Value: PostgresNonThrowingEncodable>(_ value: Value) {
        bindings.append(value)
        types.append(Value.psqlType)
    }

    private static func isNil(_ value: any Encodable & Sendable) -> Bool {
        (value as? any OptionalValue)?.isNone ?? false
    }
}

private protocol OptionalValue { var isNone: Bool { get } }
extension Optional: OptionalValue {
    var isNone: Bool { self == nil }
}

/// The one statement type PostgresNIO prepares for us; see `PreparedStatements`.
struct NamedStatement: PostgresPreparedStatement {
    struct Current {
        let name: String
        let sql: String
        let types: [PostgresDataType]
    }

    @TaskLocal static var current: Current?

    /// Without a current statement the server is sent one that fails with a clear message, not a wrong one.
    static var name: String { current?.name ?? "selfology_unset" }
    static var sql: String { current?.sql ?? "SELECT selfology_prepared_statement_outside_its_task()" }
    static var bindingDataTypes: [PostgresDataType] { current?.types ?? [] }

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
