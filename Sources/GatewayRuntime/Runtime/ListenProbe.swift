import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Whether nginx could listen on an address and port now: the same bind nginx will do
/// (with SO_REUSEADDR, as nginx sets it), made and closed at once, so that a taken port
/// is reported before anything starts rather than as a dead nginx afterwards.
enum ListenProbe {
    /// nil when the bind succeeds, else why not, in the operator's words.
    static func problem(address: String, port: Int) -> String? {
        guard let code = bindError(address: address, port: port) else { return nil }
        if code == EADDRINUSE { return "port \(port) on \(address) is in use" }
        return "cannot listen on port \(port) on \(address): \(String(cString: strerror(code)))"
    }

    /// Whether nothing holds `address:port` now (what a demo backend is answered on).
    static func isFree(address: String, port: Int) -> Bool { bindError(address: address, port: port) == nil }

    /// The errno of binding `address:port`, nil when it is free.
    static func bindError(address: String, port: Int) -> Int32? {
        let outcome = withTCPSocket(address: address, port: port) { fd, address, length -> Int32? in
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            if address.pointee.sa_family == sa_family_t(AF_INET6) {
                setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            guard bind(fd, address, length) == 0 else { return errno }
            // Listening too, as nginx will, so that the check meets the rules nginx meets.
            guard listen(fd, 1) == 0 else { return errno }
            return nil
        }
        return outcome ?? EINVAL
    }
}

/// A TCP socket for the numeric `address` and `port`, handed to `body` with the socket
/// address and closed afterwards; nil (and `body` not called) when there is none.
func withTCPSocket<Result>(
    address: String, port: Int, _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Result
) -> Result? {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
    var result: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(address, String(port), &hints, &result) == 0, let info = result, let socketAddress = info.pointee.ai_addr
    else { return nil }
    defer { freeaddrinfo(result) }
    let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    return body(fd, socketAddress, info.pointee.ai_addrlen)
}

/// The readiness check: an HTTP request to the gateway's kgate-only server, answered
/// with nginx's worker pid, whose parent must be the master kgate started. A port that
/// merely accepts connections could be anyone's.
enum Readiness {
    /// The worker pid that answered `GET /` with `Host: _kgate-ready`, or nil.
    static func workerPID(address: String, port: Int) -> Int32? {
        guard let body = GatewayProbe.body(address: address, port: port, host: NginxPlan.readinessHost) else { return nil }
        return Int32(body.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The parent of `pid`, from /proc.
    static func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.range(of: ")", options: .backwards)
        else { return nil }
        let fields = stat[close.upperBound...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

}

/// One plain `GET` to the gateway on this machine: kgate's readiness check, and how
/// kgate-bench sees what the gateway serves.
public enum GatewayProbe {
    /// The body of a 200 answer to `GET path` with `Host: host`; nil for anything else.
    public static func body(address: String, port: Int, host: String, path: String = "/") -> String? {
        let target = NginxPlan.connectAddress(address).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let answer = withTCPSocket(address: target, port: port) { fd, address, length -> String? in
            var limit = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            guard connect(fd, address, length) == 0 else { return nil }
            let request = Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8)
            guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else {
                return nil
            }
            var response: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1024)
            while response.count < 8192 {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { break }
                response += buffer[0..<n]
            }
            return String(decoding: response, as: UTF8.self)
        }
        guard let text = answer ?? nil, text.hasPrefix("HTTP/1.1 200"), let split = text.range(of: "\r\n\r\n") else { return nil }
        return String(text[split.upperBound...])
    }
}
