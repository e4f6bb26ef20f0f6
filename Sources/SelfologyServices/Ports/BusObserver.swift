/// Lets a runtime (and its tests) know when no event is in flight on the bus.
public protocol BusObserver: Sendable {
    /// A token describing the bus's state when nothing waits and nothing is in flight, nil while busy. Two equal
    /// tokens taken around a series of checks mean no work moved on the bus in between.
    func quietToken() async throws -> String?
}
