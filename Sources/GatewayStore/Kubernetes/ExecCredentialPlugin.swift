import ChildProcess
import Foundation
import GatewayKit
import Synchronization

/// Runs a `client.authentication.k8s.io` credential plugin and reads the token from the
/// `ExecCredential` it prints. Its output is never shown, since it holds the token; the
/// last line of its standard error explains a failure (captured, so that it cannot write
/// over the console's screen).
///
/// The plugin leads a process group of its own: at the timeout the whole group is killed
/// (a plugin's helpers too), and nothing waits on a thread meanwhile, so the console keeps
/// answering keys.
enum ExecCredentialPlugin {
    static func run(_ exec: Kubeconfig.ExecConfig, policy: CredentialPluginPolicy) async throws(StoreError)
        -> (token: String, expires: Date?)
    {
        // client-go's rule: Never gets no terminal; IfAvailable gets one when there is one;
        // Always is refused without one.
        let interactive: Bool
        switch exec.interactiveMode {
        case "Always":
            guard policy.terminal != nil else {
                throw .unavailable(
                    reason: "the exec plugin \(exec.command) needs a terminal (interactiveMode: Always), and kgate's standard input is not one; "
                        + "run kgate in a terminal, use a plugin mode of Never or IfAvailable, or log in with kubectl first")
            }
            interactive = true
        case "IfAvailable": interactive = policy.terminal != nil
        default: interactive = false
        }
        let output = try await launch(exec, policy: policy, interactive: interactive)
        let answer: ManifestValue
        do {
            answer = try JSONReader.read(Array(output))
        } catch {
            throw .unavailable(reason: "the exec plugin \(exec.command) did not print an ExecCredential (\(error.reason))")
        }
        if answer["apiVersion"] != .string(exec.apiVersion) || answer["kind"] != .string("ExecCredential") {
            var returned = "none"
            if case .string(let version)? = answer["apiVersion"] { returned = version }
            throw .unavailable(
                reason: "the exec plugin \(exec.command) is configured to use API version \(exec.apiVersion), plugin returned version \(returned)")
        }
        let status = answer["status"]
        guard case .string(let token)? = status?["token"], !token.isEmpty else {
            throw .unavailable(
                reason: "the exec plugin \(exec.command) gave no status.token (client certificates from plugins are not supported)")
        }
        var expires: Date?
        if case .string(let stamp)? = status?["expirationTimestamp"] {
            expires = ExecInfo.date(stamp)
        }
        return (token, expires)
    }

    private static func launch(_ exec: Kubeconfig.ExecConfig, policy: CredentialPluginPolicy, interactive: Bool) async throws(StoreError)
        -> [UInt8]
    {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(exec.environment) { _, new in new }
        environment["KUBERNETES_EXEC_INFO"] = ExecInfo.json(exec, interactive: interactive)
        var command = ChildCommand(exec.command, exec.arguments, environment: environment)
        command.standardOutput = .capture
        if interactive, let terminal = policy.terminal {
            // The terminal as kubectl gives it: standard input and error. The plugin stays in
            // kgate's (foreground) process group, or reading the terminal would stop it.
            command.standardInput = .inherit
            command.standardError = .inherit
            await terminal.suspend()
            let started: ChildProcess
            do {
                started = try ChildProcess.start(command)
            } catch {
                await terminal.resume()
                throw .unavailable(reason: "the kubeconfig's exec plugin \(exec.command) could not run: \(error.reason)")
            }
            let termination = await started.termination(within: policy.timeout)
            if termination == nil {
                started.signal(SIGKILL)
                _ = await started.termination(within: .seconds(5))
            }
            await terminal.resume()
            return try await finish(started, termination, exec: exec, policy: policy)
        }
        command.standardError = .capture
        command.newProcessGroup = true
        let child: ChildProcess
        do {
            child = try ChildProcess.start(command)
        } catch {
            throw .unavailable(reason: "the kubeconfig's exec plugin \(exec.command) could not run: \(error.reason)")
        }
        // On a Dispatch timer, not a task: the notice is due even when every thread of
        // Swift's pool is busy.
        let notice = PluginNotice { policy.onEvent(.waiting(command: exec.command)) }
        notice.schedule(after: policy.noticeAfter)
        let termination = await child.termination(within: policy.timeout)
        let noticed = notice.cancel()
        if termination == nil {
            child.signal(SIGKILL)
            _ = await child.termination(within: .seconds(5))
        } else {
            // What it started in its group (and left behind) goes with it.
            child.signal(SIGKILL)
        }
        if noticed, termination != nil { policy.onEvent(.finished(command: exec.command)) }
        return try await finish(child, termination, exec: exec, policy: policy)
    }

    /// The plugin's output once it ended; the timeout or its failure as an error.
    private static func finish(_ child: ChildProcess, _ termination: Termination?, exec: Kubeconfig.ExecConfig, policy: CredentialPluginPolicy)
        async throws(StoreError) -> [UInt8]
    {
        guard let termination else {
            let seconds = Int(policy.timeout.components.seconds)
            policy.onEvent(.timedOut(command: exec.command, seconds: seconds))
            throw .unavailable(
                reason: "the kubeconfig's exec plugin \(exec.command) did not finish within \(seconds) s and was stopped "
                    + "(set \(CredentialPluginPolicy.timeoutVariable) to allow longer)")
        }
        let (output, errors) = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: child.output()) }
        }
        guard termination.isSuccess else {
            let explanation = lastLine(errors).map { ": \($0)" } ?? ""
            throw .unavailable(reason: "the kubeconfig's exec plugin \(exec.command) \(termination)\(explanation)")
        }
        return output
    }

    /// The plugin's last words, shortened: enough to say why, never a wall of text.
    private static func lastLine(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let line = text.split(whereSeparator: \.isNewline).last?.trimmingCharacters(in: .whitespaces), !line.isEmpty else {
            return nil
        }
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }
}

/// The "still waiting" notice, sent once unless cancelled first.
private final class PluginNotice: Sendable {
    private let state = Mutex<(sent: Bool, cancelled: Bool)>((false, false))
    private let send: @Sendable () -> Void

    init(_ send: @escaping @Sendable () -> Void) { self.send = send }

    func schedule(after delay: Duration) {
        let nanoseconds = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { [self] in
            // Sent under the lock, so that `.finished` can never come before it.
            state.withLock { value in
                guard !value.cancelled else { return }
                value.sent = true
                send()
            }
        }
    }

    /// Stops a notice not yet sent; tells whether it was sent.
    func cancel() -> Bool {
        state.withLock { value in
            value.cancelled = true
            return value.sent
        }
    }
}
