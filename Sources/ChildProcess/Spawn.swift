import Glibc

/// `posix_spawn` with what every child of kgate needs and Foundation's `Process` does not
/// give: an empty signal mask and default dispositions (a thread of ours may block or
/// ignore signals, and the child would inherit that: tmux servers that ignore SIGTERM),
/// no descriptor of ours but 0, 1 and 2, and optionally a process group of its own.
enum Spawn {
    struct Pipes {
        var input: Int32?
        var output: Int32?
        var error: Int32?
    }

    static func start(_ command: ChildCommand) throws(ChildProcessError) -> (pid: pid_t, pipes: Pipes) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var pipes = Pipes()
        var childEnds: [Int32] = []
        defer { childEnds.forEach { close($0) } }
        func fail(_ code: Int32, _ what: String) -> ChildProcessError {
            [pipes.input, pipes.output, pipes.error].compactMap { $0 }.forEach { close($0) }
            return ChildProcessError(executable: command.executable, errno: code, reason: "\(what): \(String(cString: strerror(code)))")
        }

        if let terminal = command.terminal {
            // Opened after setsid (glibc runs the file actions after it) and without
            // O_NOCTTY, so it becomes the child's controlling terminal.
            posix_spawn_file_actions_addopen(&actions, 0, terminal, O_RDWR, 0)
            posix_spawn_file_actions_adddup2(&actions, 0, 1)
            posix_spawn_file_actions_adddup2(&actions, 0, 2)
        }
        switch command.terminal == nil ? command.standardInput : .inherit {
        case .null: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .inherit: break
        case .bytes:
            guard let (read, write) = pipe() else { throw fail(errno, "pipe") }
            posix_spawn_file_actions_adddup2(&actions, read, 0)
            childEnds.append(read)
            pipes.input = write
        }
        let outputs: [(Int32, ChildCommand.Output)] =
            command.terminal == nil ? [(Int32(1), command.standardOutput), (Int32(2), command.standardError)] : []
        for (descriptor, output) in outputs {
            switch output {
            case .null: posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0)
            case .inherit: break
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, descriptor, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            case .capture:
                guard let (read, write) = pipe() else { throw fail(errno, "pipe") }
                posix_spawn_file_actions_adddup2(&actions, write, descriptor)
                childEnds.append(write)
                if descriptor == 1 { pipes.output = read } else { pipes.error = read }
            }
        }
        // dup2 cleared close-on-exec on 0, 1 and 2; everything else of ours stays here.
        if let closeFrom = closeFrom { _ = closeFrom(&actions, 3) }

        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        sigdelset(&everySignal, SIGKILL)
        sigdelset(&everySignal, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if command.terminal != nil {
            // POSIX_SPAWN_SETSID, which Swift's Glibc module does not import (_GNU_SOURCE).
            flags |= 0x80
        } else if command.newProcessGroup {
            flags |= POSIX_SPAWN_SETPGROUP
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([command.executable] + command.arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environment = command.environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { environment?.forEach { free($0) } }
        var pid: pid_t = 0
        let result: Int32
        if let environment {
            result = spawn(&pid, command.executable, &actions, &attributes, argv, environment)
        } else {
            result = spawn(&pid, command.executable, &actions, &attributes, argv, environ)
        }
        guard result == 0 else { throw fail(result, result == ENOENT ? "not found" : "spawn") }
        return (pid, pipes)
    }

    /// `posix_spawnp` for a bare name (PATH lookup), `posix_spawn` for a path.
    private static func spawn(
        _ pid: inout pid_t, _ executable: String, _ actions: inout posix_spawn_file_actions_t,
        _ attributes: inout posix_spawnattr_t, _ argv: [UnsafeMutablePointer<CChar>?],
        _ environment: UnsafePointer<UnsafeMutablePointer<CChar>?>
    ) -> Int32 {
        if executable.contains("/") {
            return posix_spawn(&pid, executable, &actions, &attributes, argv, environment)
        }
        return posix_spawnp(&pid, executable, &actions, &attributes, argv, environment)
    }

    private static func spawn(
        _ pid: inout pid_t, _ executable: String, _ actions: inout posix_spawn_file_actions_t,
        _ attributes: inout posix_spawnattr_t, _ argv: [UnsafeMutablePointer<CChar>?],
        _ environment: [UnsafeMutablePointer<CChar>?]
    ) -> Int32 {
        environment.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return EINVAL }
            return spawn(&pid, executable, &actions, &attributes, argv, base)
        }
    }

    /// A pipe whose ends close on exec: another child started meanwhile never holds them.
    private static func pipe() -> (read: Int32, write: Int32)? {
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else { return nil }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), hidden from Swift's Glibc
    /// module behind _GNU_SOURCE, so looked up by name.
    private static let closeFrom: CloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }
}
