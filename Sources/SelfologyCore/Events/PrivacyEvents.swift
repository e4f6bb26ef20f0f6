/// The person confirmed /forget: every service deletes what it keeps about them. It carries nothing but the
/// envelope's person and trace: from now on each consumer group drops events about this person whose trace began
/// before this one (work still in flight from before), while a fresh /start after it is a new beginning.
public struct UserErasureRequested: EventPayload, Equatable {
    public static let eventType = EventType.userErasureRequested

    public init() {}
}
