/// Where and how to connect. Built in code, or from a `redis://` URL as operators write them in the environment.
public struct RedisConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// A Unix socket to connect through instead of `host` and `port`: on the server's own machine that spares
    /// every command the TCP stack.
    public var socketPath: String?
    /// An ACL user (Redis 6+); with `nil` the password authenticates the `default` user.
    public var username: String?
    public var password: String?
    /// The logical database to `SELECT` on connect; `nil` keeps Redis' database 0.
    public var database: Int?
    public var connectTimeout: Duration = .seconds(5)
    /// How long a call may take, from asking the pool for a connection to the last reply.
    public var commandTimeout: Duration = .seconds(5)
    public var maximumConnections: Int = 8

    public init(host: String = "127.0.0.1", port: Int = 6379) {
        self.host = host
        self.port = port
    }

    /// Reads `redis://[[user]:password@]host[:port][/db]`, or `unix://[[user]:password@]/path/to/redis.sock`
    /// with an optional `?db=N`. User and password may be percent-encoded; an IPv6 host goes in brackets. The
    /// error names the part that is wrong and never repeats the URL, which may hold a password.
    public init(url: String) throws {
        if let afterScheme = url.dropPrefix("unix://") {
            try self.init(socketURL: afterScheme)
            return
        }
        guard let afterScheme = url.dropPrefix("redis://") else {
            if url.hasPrefix("rediss://") { throw RedisError.invalidURL("TLS (rediss://) is not supported") }
            throw RedisError.invalidURL(
                "expected redis://[[user]:password@]host[:port][/db] or unix://[[user]:password@]/path/to/socket")
        }
        if afterScheme.contains(where: { $0 == "?" || $0 == "#" }) {
            throw RedisError.invalidURL("query and fragment are not supported")
        }
        let authorityEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        let (credentials, hostAndPort) = try Self.userInfo(afterScheme[..<authorityEnd])
        let (host, port) = try Self.hostAndPort(hostAndPort)
        self.init(host: host, port: port ?? 6379)
        (username, password) = credentials
        self.database = try Self.database(afterScheme[authorityEnd...])
    }

    /// `[[user]:password@]/path/to/redis.sock[?db=N]`, the part after `unix://`.
    private init(socketURL: Substring) throws {
        if socketURL.contains("#") { throw RedisError.invalidURL("fragment is not supported") }
        let queryStart = socketURL.firstIndex(of: "?") ?? socketURL.endIndex
        let pathStart = socketURL[..<queryStart].firstIndex(of: "/") ?? queryStart
        let (credentials, beforePath) = try Self.userInfo(socketURL[..<pathStart])
        let path = socketURL[pathStart..<queryStart]
        guard beforePath.isEmpty, path.count > 1 else {
            throw RedisError.invalidURL("a socket URL needs an absolute path to the socket after the scheme")
        }
        self.init()
        socketPath = String(path)
        (username, password) = credentials
        let query = socketURL[queryStart...].dropFirst()
        if !query.isEmpty {
            guard let number = query.dropPrefix("db=") else { throw RedisError.invalidURL("the only option is db=N") }
            database = try Self.database("/" + number)
        }
    }

    /// Splits `[[user]:password@]rest`. The last "@" ends the user information: a password may contain an
    /// unencoded "@", a host or a socket path of ours does not.
    private static func userInfo(_ text: Substring) throws -> ((String?, String?), Substring) {
        guard let at = text.lastIndex(of: "@") else { return ((nil, nil), text) }
        let userInfo = text[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else {
            throw RedisError.invalidURL("a user needs a password (write redis://user:password@host)")
        }
        let user = try percentDecoded(userInfo[..<colon])
        let password = try percentDecoded(userInfo[userInfo.index(after: colon)...])
        return ((user.isEmpty ? nil : user, password), text[text.index(after: at)...])
    }

    private static func hostAndPort(_ text: Substring) throws -> (String, Int?) {
        let host: Substring
        let portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw RedisError.invalidURL("unclosed IPv6 bracket") }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { throw RedisError.invalidURL("text after IPv6 host") }
            portText = rest.isEmpty ? nil : rest.dropFirst()
        } else if let colon = text.firstIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            host = text
            portText = nil
        }
        guard !host.isEmpty else { throw RedisError.invalidURL("missing host") }
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || "-._:%".contains($0) }) else {
            throw RedisError.invalidURL("host has characters a host name cannot have")
        }
        guard let portText else { return (String(host), nil) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw RedisError.invalidURL("port must be a number from 1 to 65535")
        }
        return (String(host), port)
    }

    private static func database(_ path: Substring) throws -> Int? {
        let text = path.drop { $0 == "/" }
        guard path.count - text.count <= 1 else { throw RedisError.invalidURL("path must be /db") }
        if text.isEmpty { return nil }
        guard let database = Int(text), database >= 0 else {
            throw RedisError.invalidURL("database must be a number from 0 up")
        }
        return database
    }

    private static func percentDecoded(_ text: Substring) throws -> String {
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = utf8.popFirst().flatMap(hexValue), let low = utf8.popFirst().flatMap(hexValue) else {
                throw RedisError.invalidURL("bad percent-encoding in user or password")
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        Character(Unicode.Scalar(byte)).hexDigitValue.map(UInt8.init)
    }
}

extension StringProtocol {
    fileprivate func dropPrefix(_ prefix: String) -> SubSequence? {
        self.hasPrefix(prefix) ? self.dropFirst(prefix.count) : nil
    }
}
