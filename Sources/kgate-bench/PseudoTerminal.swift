import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A pseudo-terminal of a given size: ncurses draws on its slave side, the bench reads and
/// counts what was written on its master side.
final class PseudoTerminal {
    let master: Int32
    let slave: Int32

    init(columns: Int, rows: Int) throws {
        master = posix_openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0, let name = ptsname(master) else {
            throw BenchError("cannot open a pseudo-terminal")
        }
        slave = open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw BenchError("cannot open \(String(cString: name))") }
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &size)
        let flags = fcntl(master, F_GETFL)
        _ = fcntl(master, F_SETFL, flags | O_NONBLOCK)
    }

    /// Reads everything written so far; returns how many bytes that was.
    func drain() -> Int {
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n <= 0 { return total }
            total += n
        }
    }

    deinit {
        close(slave)
        close(master)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
