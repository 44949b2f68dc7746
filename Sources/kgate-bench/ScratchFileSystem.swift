import Foundation

/// A fresh ext4 file system with a journal (`mkfs.ext4`'s defaults) in an image file,
/// loop-mounted for the bench's `apply_10000_s`, and unmounted and removed after it.
///
/// Why: this machine's root file system is ext4 without a journal, where the kernel skips
/// every inode freed in the last one to six minutes when it allocates a new one, scanning
/// them all again for each new file. A bench run removes 110,000 files when it ends, and in
/// the run after it `apply`'s 10,000 creations took 3.5–5 s instead of 0.9 s, whatever
/// kgate did. With a journal (ext4's default, and most machines') that skip does not
/// exist. The same apply in the bench's own folder is printed beside it, without a target.
///
/// Making one needs root, loop devices and `mkfs.ext4`; without them `make` says why and
/// returns nil, and the figure is taken in the bench's folder.
final class ScratchFileSystem {
    let mountPoint: String
    private let image: String

    private init(mountPoint: String, image: String) {
        self.mountPoint = mountPoint
        self.image = image
    }

    static func make(in folder: String) -> ScratchFileSystem? {
        let image = "\(folder)/scratch-ext4.img"
        let mountPoint = "\(folder)/scratch-ext4"
        do {
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: image, contents: nil),
                truncate(image, 1 << 30) == 0
            else { throw BenchError("cannot make the image \(image)") }
            try run("/usr/sbin/mkfs.ext4", ["-q", "-F", image])
            try run("/usr/bin/mount", ["-o", "loop", image, mountPoint])
            return ScratchFileSystem(mountPoint: mountPoint, image: image)
        } catch {
            FileHandle.standardError.write(
                Data("kgate-bench: no file system of its own for apply_10000_s (\(error)); measured in \(folder)\n".utf8))
            try? FileManager.default.removeItem(atPath: image)
            return nil
        }
    }

    /// Unmounts it (which also frees its loop device) and removes the image.
    func remove() {
        try? ScratchFileSystem.run("/usr/bin/umount", [mountPoint])
        try? FileManager.default.removeItem(atPath: image)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("\(executable) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}
