import Testing

@testable import SelfologyRedis

@Suite("Redis configuration")
struct RedisConfigurationTests {
    @Test func defaultsAreLocalAndConservative() {
        let configuration = RedisConfiguration()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 6379)
        #expect(configuration.password == nil && configuration.database == nil)
        #expect(configuration.commandTimeout == .seconds(5) && configuration.connectTimeout == .seconds(5))
        #expect(configuration.maximumConnections == 8)
    }

    @Test(
        arguments: [
            ("redis://localhost", "localhost", 6379, nil, nil, nil),
            ("redis://10.0.0.5:6390", "10.0.0.5", 6390, nil, nil, nil),
            ("redis://cache.internal:7000/3", "cache.internal", 7000, nil, nil, 3),
            ("redis://h/", "h", 6379, nil, nil, nil),
            ("redis://:secret@h:1/0", "h", 1, nil, "secret", 0),
            ("redis://bus:p%40ss%3Aw@h", "h", 6379, "bus", "p@ss:w", nil),
            ("redis://bus:p@ss@h", "h", 6379, "bus", "p@ss", nil),
            ("redis://[::1]:6380/2", "::1", 6380, nil, nil, 2),
        ] as [(String, String, Int, String?, String?, Int?)])
    func parsesAGoodURL(url: String, host: String, port: Int, username: String?, password: String?, database: Int?)
        throws
    {
        let configuration = try RedisConfiguration(url: url)
        #expect(configuration.host == host)
        #expect(configuration.port == port)
        #expect(configuration.username == username)
        #expect(configuration.password == password)
        #expect(configuration.database == database)
    }

    @Test(
        arguments: [
            ("unix:///run/redis/redis.sock", "/run/redis/redis.sock", nil, nil, nil),
            ("unix://:secret@/tmp/r.sock?db=3", "/tmp/r.sock", nil, "secret", 3),
            ("unix://bus:p%40ss@/tmp/r.sock", "/tmp/r.sock", "bus", "p@ss", nil),
        ] as [(String, String, String?, String?, Int?)])
    func parsesASocketURL(url: String, path: String, username: String?, password: String?, database: Int?) throws {
        let configuration = try RedisConfiguration(url: url)
        #expect(configuration.socketPath == path)
        #expect(configuration.username == username)
        #expect(configuration.password == password)
        #expect(configuration.database == database)
    }

    @Test(arguments: [
        "unix://", "unix:///", "unix://host/tmp/r.sock", "unix:///tmp/r.sock?timeout=1", "unix:///tmp/r.sock?db=x",
        "unix://user@/tmp/r.sock", "unix:///tmp/r.sock#x",
        "", "localhost:6379", "http://h", "rediss://h", "redis://", "redis://:pw@", "redis://h:0", "redis://h:65536",
        "redis://h:port", "redis://h/db", "redis://h/-1", "redis://h//1", "redis://h?timeout=1", "redis://a b",
        "redis://user@h", "redis://u:%zz@h", "redis://[::1", "redis://[::1]x",
    ])
    func rejectsABadURLWithoutRepeatingIt(url: String) {
        #expect {
            try RedisConfiguration(url: url)
        } throws: { error in
            guard case .invalidURL(let reason) = error as? RedisError else { return false }
            return !reason.isEmpty && (url.isEmpty || !reason.contains(url))
        }
    }

    @Test func anInvalidURLDoesNotLeakThePassword() {
        #expect {
            try RedisConfiguration(url: "redis://user:hunter2@h:notaport")
        } throws: { error in
            "\(error)".contains("port") && !"\(error)".contains("hunter2")
        }
    }
}
