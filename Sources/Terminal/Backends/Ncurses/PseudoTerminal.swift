import Glibc

/// A pseudo-terminal, to run `NcursesTerminal` headless (tests, the benchmark): the backend
/// gets the slave side as its terminal; the caller reads what was drawn and types keys on
/// the master side.
public final class PseudoTerminal {
    public private(set) var master: Int32
    public let slave: Int32
    /// The slave side's path (`/dev/pts/N`), for a child that must open it as its
    /// controlling terminal (`kgate ssh-server`'s console sessions).
    public let slavePath: String

    public init?(columns: Int, rows: Int) {
        // Swift's Glibc module hides posix_openpt and friends (they need _XOPEN_SOURCE), so
        // they are looked up by name; the C library always has them.
        guard let openpt = PseudoTerminal.function("posix_openpt", as: OpenFunction.self),
            let grant = PseudoTerminal.function("grantpt", as: DescriptorFunction.self),
            let unlock = PseudoTerminal.function("unlockpt", as: DescriptorFunction.self),
            let name = PseudoTerminal.function("ptsname_r", as: NameFunction.self)
        else { return nil }
        let master = openpt(O_RDWR | O_NOCTTY)
        guard master >= 0 else { return nil }
        var path = [CChar](repeating: 0, count: 128)
        guard grant(master) == 0, unlock(master) == 0, name(master, &path, path.count) == 0 else {
            close(master)
            return nil
        }
        let slave = open(path, O_RDWR | O_NOCTTY)
        guard slave >= 0 else {
            close(master)
            return nil
        }
        self.master = master
        self.slave = slave
        self.slavePath = String(decoding: path.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        resize(columns: columns, rows: rows)
    }

    private typealias OpenFunction = @convention(c) (Int32) -> Int32
    private typealias DescriptorFunction = @convention(c) (Int32) -> Int32
    private typealias NameFunction = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32

    private static func function<T>(_ name: String, as type: T.Type) -> T? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }

    deinit {
        close(slave)
        if master >= 0 { close(master) }
    }

    /// Closes the master side, as a terminal emulator or sshd does when the window closes.
    public func hangUp() {
        close(master)
        master = -1
    }

    public func resize(columns: Int, rows: Int) {
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    /// Types bytes as if at the keyboard.
    public func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Reads what the slave side wrote until `done` holds for everything read so far, or
    /// `timeoutMilliseconds` passed; then keeps reading until the output is quiet for
    /// `quietMilliseconds`, so the whole frame is counted, not just its start.
    public func read(
        until done: ([UInt8]) -> Bool, timeoutMilliseconds: Int32 = 5000, quietMilliseconds: Int32 = 150
    ) -> [UInt8] {
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var satisfied = done(output)
        while true {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, satisfied ? quietMilliseconds : timeoutMilliseconds)
            guard ready > 0 else { return output }
            let count = Glibc.read(master, &buffer, buffer.count)
            guard count > 0 else { return output }
            output += buffer[0..<count]
            satisfied = satisfied || done(output)
        }
    }
}

extension PseudoTerminal {
    /// Reads whatever the slave side has written so far without waiting; returns how many
    /// bytes that was (what a frame cost on the wire).
    public func drain() -> Int {
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while master >= 0 {
            let count = Glibc.read(master, &buffer, buffer.count)
            if count <= 0 { break }
            total += count
        }
        return total
    }
}

extension Array where Element == UInt8 {
    /// Whether these bytes contain `text`'s UTF-8 bytes.
    public func contains(text: String) -> Bool {
        let needle = Array(text.utf8)
        guard !needle.isEmpty, count >= needle.count else { return needle.isEmpty }
        for start in 0...(count - needle.count) where self[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
