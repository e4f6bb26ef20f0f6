import SelfologyPostgres
import Testing

@Suite("DATABASE_URL")
struct PostgresURLTests {
    @Test func readsAHostPortAndOptions() throws {
        let url = try PostgresURL("postgres://bot:s3cret@db.internal:6432/selfology?sslmode=require")
        #expect(url.host == "db.internal" && url.port == 6432 && url.socketPath == nil)
        #expect(url.username == "bot" && url.password == "s3cret" && url.database == "selfology")
        #expect(url.requireTLS)
    }

    @Test(
        "a host parameter that is a directory names the server's Unix socket in it, as with libpq",
        arguments: [
            ("postgres://bot@/selfology?host=/var/run/postgresql", "/var/run/postgresql/.s.PGSQL.5432"),
            ("postgresql://bot@/selfology?host=/tmp/pg/&port=55432", "/tmp/pg/.s.PGSQL.55432"),
        ])
    func readsASocketDirectory(url: String, socket: String) throws {
        let parsed = try PostgresURL(url)
        #expect(parsed.socketPath == socket)
        #expect(parsed.username == "bot" && parsed.database == "selfology" && !parsed.requireTLS)
    }

    @Test(arguments: [
        "mysql://bot@h/db", "postgres://bot@/db", "postgres://h/db", "postgres://bot@h",
        "postgres://bot@h/db?sslmode=x",
        "postgres://bot@/db?host=/tmp&sslmode=require", "postgres://bot@/db?host=/tmp&port=0",
    ])
    func rejectsABadURL(url: String) {
        #expect(throws: PostgresURL.ParseError.self) { try PostgresURL(url) }
    }
}
