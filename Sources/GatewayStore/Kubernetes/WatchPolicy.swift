import Foundation

/// How the watches of `KubernetesStore.changes()` behave, with client-go's reflector's
/// values by default: each watch asks the server to end it after a random 5–10 minutes
/// (`timeoutSeconds`), a connection silent for longer than that plus a margin is taken as
/// half-open and dropped, and failures are retried after an exponential backoff with
/// jitter (0.8 s doubling up to 30 s), so that many clients do not retry in step.
public struct WatchPolicy: Sendable {
    public var watchSeconds: ClosedRange<Int>
    /// Silence on a connection (a watch or any answer) longer than this ends it.
    public var readTimeout: Duration
    public var initialBackoff: Duration
    public var maximumBackoff: Duration

    public init(
        watchSeconds: ClosedRange<Int> = 300...600, readTimeout: Duration = .seconds(630),
        initialBackoff: Duration = .milliseconds(800), maximumBackoff: Duration = .seconds(30)
    ) {
        self.watchSeconds = watchSeconds
        self.readTimeout = readTimeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }
}

/// The wait before the next attempt: doubling from the policy's initial value to its
/// maximum, each wait stretched by a random 0–100 % (client-go's jitter factor 1.0).
struct Backoff {
    let policy: WatchPolicy
    private var failures = 0

    init(_ policy: WatchPolicy) { self.policy = policy }

    mutating func reset() { failures = 0 }

    /// The next wait; `random` is in 0...1.
    mutating func next(random: Double = Double.random(in: 0...1)) -> Duration {
        let base = policy.initialBackoff * Double(1 << min(failures, 16))
        failures += 1
        return min(base, policy.maximumBackoff) * (1 + random)
    }

    mutating func wait() async {
        try? await Task.sleep(for: next())
    }
}
