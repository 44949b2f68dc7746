import ChildProcess
import Foundation
import TestSupport

/// A forwarding proxy for the `proxy-url` tests: HTTP CONNECT and SOCKS5 (no auth) on one
/// loopback port, written in Python so that it shares nothing with the client under test.
/// Each tunnel it opens is logged as `CONNECT host:port` or `SOCKS5 host:port`.
final class TestProxy: Sendable {
    let port: Int
    private let child: ChildProcess
    private let folder: TemporaryFolder

    /// The tunnels opened so far, oldest first.
    var tunnels: [String] { (folder.read("tunnels.log") ?? "").split(separator: "\n").map(String.init) }

    private init(port: Int, child: ChildProcess, folder: TemporaryFolder) {
        self.port = port
        self.child = child
        self.folder = folder
    }

    static func start() async throws -> TestProxy {
        let folder = try TemporaryFolder("kgate-proxy")
        try folder.write("proxy.py", script)
        var command = ChildCommand("python3", [folder.file("proxy.py"), folder.file("port"), folder.file("tunnels.log")])
        command.standardError = .file(folder.file("proxy.err"))
        let child = try ChildProcess.start(command)
        guard await eventually(10, { folder.read("port").flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } != nil }),
            let port = folder.read("port").flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        else {
            _ = child.stop(grace: 1)
            throw TestCertificates.Failure(description: "the test proxy did not start: \(folder.read("proxy.err") ?? "")")
        }
        return TestProxy(port: port, child: child, folder: folder)
    }

    func stop() { _ = child.stop(grace: 1) }

    private static let script = #"""
        import socket, struct, sys, threading

        def pipe(a, b):
            try:
                while True:
                    data = a.recv(65536)
                    if not data:
                        break
                    b.sendall(data)
            except OSError:
                pass
            finally:
                for s in (a, b):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        def log(line):
            with open(sys.argv[2], "a") as f:
                f.write(line + "\n")

        def recv_exact(conn, n):
            data = b""
            while len(data) < n:
                chunk = conn.recv(n - len(data))
                if not chunk:
                    raise OSError("closed")
                data += chunk
            return data

        def serve(conn):
            first = conn.recv(1, socket.MSG_PEEK)
            if first == b"\x05":
                head = recv_exact(conn, 2)
                recv_exact(conn, head[1])
                conn.sendall(b"\x05\x00")
                _, cmd, _, kind = recv_exact(conn, 4)
                if kind == 1:
                    host = socket.inet_ntoa(recv_exact(conn, 4))
                elif kind == 3:
                    host = recv_exact(conn, recv_exact(conn, 1)[0]).decode()
                else:
                    host = socket.inet_ntop(socket.AF_INET6, recv_exact(conn, 16))
                port = struct.unpack(">H", recv_exact(conn, 2))[0]
                log("SOCKS5 %s:%d" % (host, port))
                target = socket.create_connection((host, port))
                conn.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack(">H", 0))
            else:
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    request += chunk
                line = request.split(b"\r\n")[0].decode()
                method, address, _ = line.split(" ")
                if method != "CONNECT":
                    conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                    conn.close()
                    return
                log("CONNECT " + address)
                host, port = address.rsplit(":", 1)
                target = socket.create_connection((host.strip("[]"), int(port)))
                conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            threading.Thread(target=pipe, args=(conn, target), daemon=True).start()
            threading.Thread(target=pipe, args=(target, conn), daemon=True).start()

        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        with open(sys.argv[1] + ".tmp", "w") as f:
            f.write(str(listener.getsockname()[1]))
        import os
        os.rename(sys.argv[1] + ".tmp", sys.argv[1])
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=lambda c=conn: serve(c), daemon=True).start()
        """#
}
