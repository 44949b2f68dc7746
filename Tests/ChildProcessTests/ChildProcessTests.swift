import ChildProcess
import Foundation
import Glibc
import Testing
import TestSupport

/// The one helper every child of kgate and its tests is started with (issue 8 items 2, 12).
@Suite("Child processes")
struct ChildProcessTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("child-process") }

    private func shell(_ script: String) -> ChildCommand {
        var command = ChildCommand("/bin/sh", ["-c", script])
        command.standardOutput = .capture
        command.standardError = .capture
        return command
    }

    /// A `/proc/self/status` mask line of the child, as hex.
    private func mask(_ name: String, in status: String) -> String? {
        status.split(separator: "\n").first { $0.hasPrefix(name + ":") }.map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    @Test("the child starts with no blocked and no ignored signal, whatever the spawning thread had")
    func signalsAreReset() throws {
        // What a worker thread of the test runner may have: SIGTERM blocked, SIGUSR2 ignored.
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previousMask)
        let previousHandler = signal(SIGUSR2, SIG_IGN)
        defer {
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
            signal(SIGUSR2, previousHandler)
        }
        var command = ChildCommand("/bin/cat", ["/proc/self/status"])
        command.standardOutput = .capture
        let outcome = try ChildProcess.run(command, timeout: 30)
        #expect(outcome.succeeded, "\(outcome)")
        // The standard signals (1-31); 32 and 33 are glibc's own, which no program may set.
        let standard: UInt64 = 0x7FFF_FFFF
        #expect(mask("SigBlk", in: outcome.outputText).flatMap { UInt64($0, radix: 16) }.map { $0 & standard } == 0, "\(outcome.outputText)")
        #expect(mask("SigIgn", in: outcome.outputText).flatMap { UInt64($0, radix: 16) }.map { $0 & standard } == 0, "\(outcome.outputText)")
    }

    @Test("no descriptor of the parent but 0, 1 and 2 reaches the child")
    func descriptorsAreClosed() throws {
        // Opened without close-on-exec, as a careless library would.
        let inherited = open("/dev/null", O_RDONLY)
        try #require(inherited > 2)
        defer { close(inherited) }
        let outcome = try ChildProcess.run(shell("ls /proc/self/fd"), timeout: 30)
        let open = Set(outcome.outputText.split(separator: "\n").compactMap { Int32($0) })
        #expect(!open.contains(inherited), "the child has \(open.sorted())")
        #expect(open.isSuperset(of: [0, 1, 2]))
    }

    @Test("input bytes reach the child, and both outputs are captured")
    func standardStreams() throws {
        var command = shell("tr a-z A-Z; echo oops >&2; exit 3")
        command.standardInput = .bytes(Array("kgate\n".utf8))
        let outcome = try ChildProcess.run(command, timeout: 30)
        #expect(outcome.termination == .exited(3))
        #expect(outcome.outputText == "KGATE\n")
        #expect(outcome.errorText == "oops\n")
    }

    @Test("a bare name is looked up on PATH; a missing program is an error naming it")
    func lookup() throws {
        #expect(try ChildProcess.run(ChildCommand("true"), timeout: 30).succeeded)
        #expect(throws: ChildProcessError.self) { try ChildProcess.start(ChildCommand("kgate-no-such-program")) }
        do {
            _ = try ChildProcess.start(ChildCommand("/nonexistent/tool"))
        } catch {
            #expect(error.description == "cannot run /nonexistent/tool: not found: No such file or directory")
        }
    }

    @Test("a child still running at the timeout is stopped, with everything in its group")
    func timeoutStopsTheGroup() throws {
        let helperPID = folder.file("helper.pid")
        var command = shell("sleep 300 & echo $! > '\(helperPID)'; wait")
        command.standardOutput = .null
        command.standardError = .null
        command.newProcessGroup = true
        let started = Date()
        let outcome = try ChildProcess.run(command, timeout: 0.5)
        #expect(outcome.timedOut)
        #expect(Date().timeIntervalSince(started) < 20)
        let helper = try #require(ProcessProbe.pid(writtenTo: helperPID, seconds: 5))
        #expect(ProcessProbe.waitUntilGone(helper, seconds: 10), "helper \(helper) outlived its group")
    }

    @Test("stop ends a child that ignores SIGTERM, and its group's stragglers")
    func stopEscalates() throws {
        let helperPID = folder.file("helper.pid")
        var command = shell("trap '' TERM; sleep 300 & echo $! > '\(helperPID)'; wait; wait")
        command.standardOutput = .null
        command.newProcessGroup = true
        let child = try ChildProcess.start(command)
        let helper = try #require(ProcessProbe.pid(writtenTo: helperPID, seconds: 5))
        #expect(child.stop(grace: 0.5) == .signalled(SIGKILL))
        #expect(!child.isRunning)
        #expect(ProcessProbe.waitUntilGone(helper, seconds: 10))
    }

    @Test("waiting without a thread: the end is awaited, or the timeout answers nil")
    func asyncWait() async throws {
        let quick = try ChildProcess.start(ChildCommand("/bin/sh", ["-c", "exit 7"]))
        #expect(await quick.termination(within: .seconds(30)) == .exited(7))
        let slow = try ChildProcess.start(ChildCommand("/bin/sleep", ["300"]))
        #expect(await slow.termination(within: .milliseconds(100)) == nil)
        #expect(slow.stop(grace: 5) == .signalled(SIGTERM))
    }
}
