import ChildProcess
import Foundation
import TestSupport

/// A stand-in OIDC issuer for the `auth-provider: oidc` tests: HTTPS on loopback with the
/// run's test PKI, serving `/.well-known/openid-configuration` and a token endpoint that
/// trades one known refresh-token for the next tokens. Written in Python, so that it
/// shares nothing with the client under test. Each request is logged as one JSON line
/// (method, path, form fields).
final class TestOIDCIssuer: Sendable {
    let port: Int
    private let child: ChildProcess
    private let folder: TemporaryFolder

    var url: String { "https://127.0.0.1:\(port)" }

    /// Every request so far: `["method": …, "path": …, "form": {…}]`.
    var requests: [[String: Any]] {
        (folder.read("requests.log") ?? "").split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    var tokenRequests: [[String: String]] {
        requests.filter { ($0["path"] as? String) == "/token" }.compactMap { $0["form"] as? [String: String] }
    }

    private init(port: Int, child: ChildProcess, folder: TemporaryFolder) {
        self.port = port
        self.child = child
        self.folder = folder
    }

    /// `accepting` is the refresh-token the endpoint takes; it answers with `idToken` and,
    /// when set, `refreshToken` (a rotated one).
    static func start(accepting: String, idToken: String, refreshToken: String?) async throws -> TestOIDCIssuer {
        let certificates = try TestCertificates.shared.get()
        let folder = try TemporaryFolder("kgate-oidc")
        try folder.write("issuer.py", script)
        var answer: [String: String] = ["id_token": idToken, "token_type": "Bearer", "access_token": "unused-access-token"]
        if let refreshToken { answer["refresh_token"] = refreshToken }
        let answerJSON = String(decoding: try JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys]), as: UTF8.self)
        try folder.write("answer.json", answerJSON)
        try folder.write("accepted", accepting)
        var command = ChildCommand(
            "python3",
            [folder.file("issuer.py"), folder.path, certificates.serverCertificatePath, certificates.serverKeyPath])
        command.standardError = .file(folder.file("issuer.err"))
        let child = try ChildProcess.start(command)
        let readPort = { folder.read("port").flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }
        guard await eventually(10, { readPort() != nil }), let port = readPort() else {
            _ = child.stop(grace: 1)
            throw TestCertificates.Failure(description: "the test OIDC issuer did not start: \(folder.read("issuer.err") ?? "")")
        }
        return TestOIDCIssuer(port: port, child: child, folder: folder)
    }

    func stop() { _ = child.stop(grace: 1) }

    private static let script = #"""
        import http.server, json, os, ssl, sys, urllib.parse

        folder, cert, key = sys.argv[1], sys.argv[2], sys.argv[3]

        def read(name):
            with open(os.path.join(folder, name)) as f:
                return f.read()

        class Issuer(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def record(self, form):
                with open(os.path.join(folder, "requests.log"), "a") as f:
                    f.write(json.dumps({"method": self.command, "path": self.path, "form": form}) + "\n")

            def answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self.record({})
                if self.path == "/.well-known/openid-configuration":
                    base = "https://127.0.0.1:%d" % self.server.server_port
                    self.answer(200, {"issuer": base, "token_endpoint": base + "/token",
                                      "authorization_endpoint": base + "/auth", "jwks_uri": base + "/keys"})
                else:
                    self.answer(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
                self.record(form)
                if self.path != "/token":
                    self.answer(404, {"error": "not_found"})
                elif self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
                    self.answer(400, {"error": "invalid_request", "error_description": "not a form"})
                elif form.get("grant_type") != "refresh_token" or form.get("refresh_token") != read("accepted"):
                    self.answer(400, {"error": "invalid_grant", "error_description": "the refresh token is not valid"})
                else:
                    self.answer(200, json.loads(read("answer.json")))

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Issuer)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        with open(os.path.join(folder, "port.tmp"), "w") as f:
            f.write(str(server.server_port))
        os.rename(os.path.join(folder, "port.tmp"), os.path.join(folder, "port"))
        server.serve_forever()
        """#
}
