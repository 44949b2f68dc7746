import Foundation
import GatewayKit

/// Gives each request its bearer token: a fixed one, a token file read anew (projected
/// service-account tokens rotate), or an exec plugin's, cached until the
/// `expirationTimestamp` it gave (kubectl's rule), and dropped when the server answers 401.
actor BearerTokens {
    private let credential: ClusterConnection.Credential
    private var cached: (token: String, expires: Date?)?
    /// The plugin run in progress: concurrent requests wait for it rather than each
    /// starting their own (the actor is reentrant across the await).
    private var running: Task<(token: String, expires: Date?), any Error>?

    init(_ credential: ClusterConnection.Credential) { self.credential = credential }

    /// Whether a 401 is worth one retry with a fresh token.
    nonisolated var canRefresh: Bool {
        if case .exec = credential { return true }
        return false
    }

    func token() async throws(StoreError) -> String? {
        switch credential {
        case .none:
            return nil
        case .token(let token):
            return token
        case .tokenFile(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .unavailable(reason: "cannot read the kubeconfig's tokenFile \(path)")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        case .exec(let exec):
            if let cached, cached.expires.map({ $0 > Date().addingTimeInterval(10) }) ?? true { return cached.token }
            let task = running ?? Task { () async throws -> (token: String, expires: Date?) in
                try await ExecCredentialPlugin.run(exec)
            }
            running = task
            defer { running = nil }
            do {
                let fresh = try await task.value
                cached = fresh
                return fresh.token
            } catch let error as StoreError {
                throw error
            } catch {
                throw .unavailable(reason: "the kubeconfig's exec plugin \(exec.command) failed: \(error)")
            }
        }
    }

    /// The server refused the token: the next request asks the plugin again.
    func invalidate() {
        cached = nil
        running = nil
    }
}

/// Runs a `client.authentication.k8s.io` credential plugin and reads the token from the
/// `ExecCredential` it prints. Its standard error is passed through (plugins prompt and
/// explain there); its output is never shown, since it holds the token.
enum ExecCredentialPlugin {
    static func run(_ exec: Kubeconfig.ExecConfig) async throws(StoreError) -> (token: String, expires: Date?) {
        let output: Data
        do {
            output = try await launch(exec)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .unavailable(reason: "the kubeconfig's exec plugin \(exec.command) could not run: \(error)")
        }
        let status: ManifestValue?
        do {
            status = try JSONReader.read(Array(output))["status"]
        } catch {
            throw .unavailable(reason: "the exec plugin \(exec.command) did not print an ExecCredential (\(error.reason))")
        }
        guard case .string(let token)? = status?["token"], !token.isEmpty else {
            throw .unavailable(
                reason: "the exec plugin \(exec.command) gave no status.token (client certificates from plugins are not supported)")
        }
        var expires: Date?
        if case .string(let stamp)? = status?["expirationTimestamp"] {
            expires = ISO8601DateFormatter().date(from: stamp)
        }
        return (token, expires)
    }

    /// Runs the plugin on a thread of its own (it may take seconds: a cloud CLI).
    private static func launch(_ exec: Kubeconfig.ExecConfig) async throws -> Data {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data, any Error>) in
            DispatchQueue.global().async {
                let process = Process()
                if exec.command.contains("/") {
                    process.executableURL = URL(fileURLWithPath: exec.command)
                    process.arguments = exec.arguments
                } else {
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                    process.arguments = [exec.command] + exec.arguments
                }
                var environment = ProcessInfo.processInfo.environment
                environment.merge(exec.environment) { _, new in new }
                environment["KUBERNETES_EXEC_INFO"] =
                    "{\"apiVersion\":\"\(exec.apiVersion)\",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false}}"
                process.environment = environment
                let stdout = Pipe()
                process.standardOutput = stdout
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let data = stdout.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else {
                    continuation.resume(
                        throwing: StoreError.unavailable(
                            reason: "the kubeconfig's exec plugin \(exec.command) exited with status \(process.terminationStatus)"))
                    return
                }
                continuation.resume(returning: data)
            }
        }
    }
}
