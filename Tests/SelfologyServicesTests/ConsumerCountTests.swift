import SelfologyApp
import SelfologyCore
import Testing

/// `SELFOLOGY_CONSUMERS_PER_GROUP` sets every group at once or groups by name; anything else is refused clearly.
@Suite("Consumers per group from the environment")
struct ConsumerCountTests {
    func configuration(_ value: String) throws -> RuntimeConfiguration {
        try RuntimeConfiguration.fromEnvironment(["SELFOLOGY_CONSUMERS_PER_GROUP": value, "SELFOLOGY_DATA": "/tmp/x"])
    }

    @Test("one number sets every group")
    func oneNumber() throws {
        let configured = try configuration("3")
        #expect(ConsumerGroup.allCases.allSatisfy { configured.consumers(of: $0) == 3 })
    }

    @Test("named groups take their own count, * the rest; without * the rest keep the default")
    func byName() throws {
        let configured = try configuration("question_selection=4, *=1")
        #expect(configured.consumers(of: .questionSelection) == 4)
        #expect(configured.consumers(of: .gateway) == 1 && configured.consumers(of: .profileStorage) == 1)
        let partial = try configuration("gateway=2")
        #expect(partial.consumers(of: .gateway) == 2)
        #expect(partial.consumers(of: .coachInteraction) == RuntimeConfiguration(dataPath: nil).consumersPerGroup)
    }

    @Test(
        "an unknown group, a missing or non-positive count is refused, naming the groups",
        arguments: [
            "0", "-2", "gateways=2", "gateway=", "gateway=0", "gateway=2,", "=3", "gateway:2",
        ])
    func refused(value: String) throws {
        let error = #expect(throws: ConfigurationError.self) { try configuration(value) }
        #expect("\(try #require(error))".contains("SELFOLOGY_CONSUMERS_PER_GROUP=\(value)"))
    }
}
