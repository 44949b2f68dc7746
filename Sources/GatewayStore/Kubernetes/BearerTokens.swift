import Foundation
import GatewayKit

/// Gives each request its bearer token: a fixed one, a token file read anew (projected
/// service-account tokens rotate), or an exec plugin's, cached until the
/// `expirationTimestamp` it gave (kubectl's rule), and dropped when the server answers 401.
actor BearerTokens {
    private let credential: ClusterConnection.Credential
    private let policy: CredentialPluginPolicy
    private var cached: (token: String, expires: Date?)?
    /// The plugin run in progress: concurrent requests wait for it rather than each
    /// starting their own (the actor is reentrant across the await).
    private var running: Task<(token: String, expires: Date?), any Error>?
    /// An oidc user's tokens as last refreshed (the kubeconfig's at first).
    private var oidc: OIDCConfig?
    private var refreshing: Task<(idToken: String, refreshToken: String?), any Error>?

    init(_ credential: ClusterConnection.Credential, policy: CredentialPluginPolicy) {
        self.credential = credential
        self.policy = policy
    }

    /// Whether a 401 is worth one retry with a fresh token.
    nonisolated var canRefresh: Bool {
        if case .exec = credential { return true }
        return false
    }

    func token() async throws(StoreError) -> String? {
        switch credential {
        case .oidc(let initial):
            return try await oidcToken(initial)
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
            let task = running ?? Task { [policy] () async throws -> (token: String, expires: Date?) in
                try await ExecCredentialPlugin.run(exec, policy: policy)
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

    /// The id-token while its `exp` is ahead; else a new one from the issuer, written back
    /// into the kubeconfig. Concurrent requests share one refresh.
    private func oidcToken(_ initial: OIDCConfig) async throws(StoreError) -> String {
        let current = oidc ?? initial
        if OIDCTokens.isValid(current.idToken), let token = current.idToken { return token }
        let task = refreshing ?? Task { () async throws -> (idToken: String, refreshToken: String?) in
            try await OIDCTokens.refresh(current)
        }
        refreshing = task
        defer { refreshing = nil }
        let fresh: (idToken: String, refreshToken: String?)
        do {
            fresh = try await task.value
        } catch let error as StoreError {
            throw error
        } catch {
            throw .unavailable(reason: "the oidc refresh failed: \(error)")
        }
        var updated = oidc ?? initial
        guard updated.idToken != fresh.idToken else { return fresh.idToken }  // another caller stored it
        updated.idToken = fresh.idToken
        if let rotated = fresh.refreshToken { updated.refreshToken = rotated }
        oidc = updated
        if let target = updated.persistence {
            do {
                try KubeconfigTokenWriter.write(idToken: fresh.idToken, refreshToken: fresh.refreshToken, to: target)
            } catch {
                throw .unavailable(
                    reason: "the oidc tokens were refreshed but could not be stored in the kubeconfig \(target.file) (\(error)); "
                        + "kgate uses them until it exits")
            }
        }
        return fresh.idToken
    }

    /// The server refused `token`: the next request asks the plugin again, unless a fresh
    /// token already replaced it, so that many requests refused at once run the plugin once
    /// (client-go's rule).
    func invalidate(_ token: String?) {
        guard cached?.token == token else { return }
        cached = nil
    }
}
