import Foundation

/// Run-and-wait: what tests and short tools (`openssl`, `nginx -t`) need.
extension ChildProcess {
    public struct Outcome: Sendable, CustomStringConvertible {
        /// nil when the child was still running at the timeout (it was then stopped).
        public var termination: Termination?
        public var standardOutput: [UInt8]
        public var standardError: [UInt8]

        public var timedOut: Bool { termination == nil }
        public var succeeded: Bool { termination?.isSuccess ?? false }
        public var outputText: String { String(decoding: standardOutput, as: UTF8.self) }
        public var errorText: String { String(decoding: standardError, as: UTF8.self) }

        public var description: String {
            "\(termination.map(\.description) ?? "still running at the timeout")\n--- stdout\n\(outputText)--- stderr\n\(errorText)"
        }
    }

    /// Starts `command` and waits for it, at most `timeout` seconds: past that it is
    /// stopped (its group too) and the outcome says it timed out.
    public static func run(_ command: ChildCommand, timeout: Double? = nil) throws(ChildProcessError) -> Outcome {
        let child = try start(command)
        let termination = child.wait(timeout: timeout)
        if termination == nil { child.stop(grace: 2) }
        let (output, error) = child.output()
        return Outcome(termination: termination, standardOutput: output, standardError: error)
    }
}
