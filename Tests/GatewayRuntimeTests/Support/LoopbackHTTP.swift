import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Plain-socket HTTP/1.1 on loopback for the end-to-end tests: free ports, a tiny backend
/// that says who it is, and a client that sends a Host header. No URLSession (not on
/// every Linux), and every wait is bounded.
enum LoopbackHTTP {
    /// `count` distinct ports free now, never handed out twice in this test process.
    ///
    /// They come from below Linux's ephemeral range (32768–60999), so that no client
    /// connection of a parallel test (thousands of them in the endpoint-change test) can
    /// take a port between this check and the bind of whoever asked for it, which the
    /// kernel's own pick of port 0 cannot promise.
    static func freePorts(_ count: Int) throws -> [Int] {
        try PortLedger.shared.take(count) { port in
            guard let fd = try? listeningSocket(port: port, backlog: 1) else { return false }
            close(fd)
            return true
        }
    }

    static func listeningSocket(port: Int, backlog: Int32 = 64) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError("socket: \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            close(fd)
            throw LoopbackError("bind/listen on \(port): \(errno)")
        }
        return fd
    }

    static func boundPort(_ fd: Int32) throws -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw LoopbackError("getsockname: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct Response {
        var status: Int
        var headers: String
        var body: String
    }

    /// `GET path` with `Host: host` to 127.0.0.1:port; reads until the server closes
    /// (`Connection: close`), at most `timeout` seconds.
    static func get(port: Int, host: String, path: String, timeout: Int = 5) throws -> Response {
        try request("GET", port: port, host: host, path: path, timeout: timeout)
    }

    /// `method path` with `Host: host`, more `headers` (`Name: value` each) and `body`
    /// (sent with its Content-Length when not empty).
    static func request(
        _ method: String, port: Int, host: String, path: String, headers: [String] = [], body: [UInt8] = [], timeout: Int = 5
    ) throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError("socket: \(errno)") }
        defer { close(fd) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw LoopbackError("connect to \(port): \(errno)") }
        let length = body.isEmpty ? "" : "Content-Length: \(body.count)\r\n"
        let extra = headers.map { $0 + "\r\n" }.joined()
        let request = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: kgate-test\r\n\(extra)\(length)Connection: close\r\n\r\n"
        try sendAll(fd, Array(request.utf8) + body)
        let raw = String(decoding: readAll(fd), as: UTF8.self)
        guard let split = raw.range(of: "\r\n\r\n") else { throw LoopbackError("no HTTP response: \(raw.debugDescription)") }
        let head = String(raw[..<split.lowerBound])
        let parts = head.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw LoopbackError("bad status line: \(head)") }
        return Response(status: status, headers: head, body: String(raw[split.upperBound...]))
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw LoopbackError("send: \(errno)") }
            offset += n
        }
    }

    /// Everything until the peer closes, an error, or the socket's receive timeout.
    static func readAll(_ fd: Int32) -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return data }
            data += buffer[0..<n]
        }
    }

    static func canConnectLoopback(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

struct LoopbackError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The ports this test process has handed out, walked upwards from a random start in
/// 20000–29999 (below the ephemeral range, and a random start keeps two test processes
/// apart).
final class PortLedger: @unchecked Sendable {
    static let shared = PortLedger()
    // The lock guards `next`.
    private let lock = NSLock()
    private var next = Int.random(in: 20000..<28000)

    func take(_ count: Int, isFree: (Int) -> Bool) throws -> [Int] {
        try lock.withLock {
            var ports: [Int] = []
            while ports.count < count {
                guard next < 30000 else { throw LoopbackError("no free test port left below 30000") }
                if isFree(next) { ports.append(next) }
                next += 1
            }
            return ports
        }
    }
}
