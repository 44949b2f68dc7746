import GatewayKit

/// What the operator is told while a kubeconfig's exec credential plugin runs, so that a
/// slow one (a cloud CLI waiting on the network) is seen and a stuck one cannot hang kgate.
public enum CredentialPluginEvent: Hashable, Sendable, CustomStringConvertible {
    /// Still running after `CredentialPluginPolicy.noticeAfter`.
    case waiting(command: String)
    /// Ended (well or not) after a `waiting`.
    case finished(command: String)
    /// Stopped, with its process group, at the timeout.
    case timedOut(command: String, seconds: Int)

    /// One line for stderr or a status line; the command is escaped.
    public var description: String {
        switch self {
        case .waiting(let command): "waiting for credential plugin \(TerminalText.escaped(command))…"
        case .finished(let command): "credential plugin \(TerminalText.escaped(command)) finished"
        case .timedOut(let command, let seconds):
            "credential plugin \(TerminalText.escaped(command)) was stopped after \(seconds) s"
        }
    }
}

/// How long a credential plugin may run, and who hears about it.
public struct CredentialPluginPolicy: Sendable {
    /// A plugin still running then is killed with its process group (kubectl has no
    /// limit; 60 s is far beyond any working plugin's time).
    public var timeout: Duration
    /// When `.waiting` is sent.
    public var noticeAfter: Duration
    public var onEvent: @Sendable (CredentialPluginEvent) -> Void
    /// The terminal an interactive plugin (`interactiveMode` IfAvailable or Always) is
    /// given, when kgate has one; nil when its standard input is not a terminal.
    public var terminal: PluginTerminal?

    public static let timeoutVariable = "KGATE_EXEC_TIMEOUT"

    public init(
        timeout: Duration = .seconds(60), noticeAfter: Duration = .seconds(2),
        onEvent: @escaping @Sendable (CredentialPluginEvent) -> Void = { _ in }, terminal: PluginTerminal? = nil
    ) {
        self.timeout = timeout
        self.noticeAfter = noticeAfter
        self.onEvent = onEvent
        self.terminal = terminal
    }

    /// The timeout from `KGATE_EXEC_TIMEOUT` (whole seconds, at least 1) when it is set.
    public func configured(by environment: [String: String]) throws(StoreError) -> CredentialPluginPolicy {
        guard let text = environment[Self.timeoutVariable], !text.isEmpty else { return self }
        guard let seconds = Int(text), seconds >= 1 else {
            throw .invalid(
                object: "environment", errors: [FieldError(FieldPath(Self.timeoutVariable), "must be a whole number of seconds, at least 1")])
        }
        var policy = self
        policy.timeout = .seconds(seconds)
        return policy
    }
}

/// kgate's terminal, lent to an interactive credential plugin (a one-time code, a browser
/// login's prompt): `suspend` before it runs (the console leaves its screen, as kubectl
/// leaves the terminal to the plugin), `resume` after (the console draws itself again).
/// The plugin reads kgate's standard input and writes its prompts to kgate's standard error.
public struct PluginTerminal: Sendable {
    public var suspend: @Sendable () async -> Void
    public var resume: @Sendable () async -> Void

    public init(suspend: @escaping @Sendable () async -> Void, resume: @escaping @Sendable () async -> Void) {
        self.suspend = suspend
        self.resume = resume
    }

    /// A terminal nothing else draws on (the command line): nothing to suspend.
    public static let plain = PluginTerminal(suspend: {}, resume: {})
}
