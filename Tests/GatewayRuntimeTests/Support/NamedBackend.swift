import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A backend on a loopback port that answers every request with its own name, the Host
/// header and the path it received, so that a test can tell which backend nginx chose.
final class NamedBackend: @unchecked Sendable {
    let name: String
    let port: Int
    private let fd: Int32
    private let thread: Thread

    init(name: String, port: Int) throws {
        self.name = name
        self.port = port
        let fd = try LoopbackHTTP.listeningSocket(port: port)
        self.fd = fd
        thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else {
                    if errno == EINTR { continue }
                    return
                }
                NamedBackend.answer(client, name: name)
            }
        }
        thread.start()
    }

    private let stopping = NSLock()
    private var stopped = false

    /// Closing the listening socket ends `accept`, and the thread with it. Once only:
    /// a second `close` could close a descriptor another test has opened since.
    func stop() {
        stopping.lock()
        defer { stopping.unlock() }
        guard !stopped else { return }
        stopped = true
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    deinit { stop() }

    private static func header(_ name: String, in lines: [String]) -> String? {
        lines.first { $0.lowercased().hasPrefix("\(name):") }.map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    private static func answer(_ client: Int32, name: String) {
        defer { close(client) }
        var limit = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: request, as: UTF8.self).contains("\r\n\r\n") {
            let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return }
            request += buffer[0..<n]
        }
        let head = String(decoding: request, as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let path = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "?"
        let host = header("host", in: lines) ?? "?"
        // A request body is read whole and its size reported, so that a test can tell
        // it arrived through nginx intact.
        let length = header("content-length", in: lines).flatMap { Int($0) } ?? 0
        let headEnd = (request.firstRange(of: Array("\r\n\r\n".utf8))?.upperBound) ?? request.count
        var received = request.count - headEnd
        while received < length {
            let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            received += n
        }
        let body = "backend=\(name) host=\(host) path=\(path)\(length > 0 ? " body=\(received)" : "")\n"
        // A path with `/answer-<code>` is answered with that status: tests of the traffic figures.
        let code = path.range(of: "/answer-").flatMap { Int(path[$0.upperBound...].prefix(3)) } ?? 200
        let response = "HTTP/1.1 \(code) Answer\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        try? LoopbackHTTP.sendAll(client, Array(response.utf8))
    }
}
