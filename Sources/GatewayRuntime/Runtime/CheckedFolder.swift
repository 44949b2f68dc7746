import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A directory held open by descriptor, checked once (a directory, not a symlink, ours,
/// not writable by anyone else) so that every later file operation happens inside it,
/// relative to the descriptor, and cannot be redirected by a symlink planted along the
/// path. Files are written to a fresh name with `O_EXCL|O_NOFOLLOW` and renamed into
/// place; an existing entry that is not a regular file is refused, never written through.
final class CheckedFolder: @unchecked Sendable {
    let path: String
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// Opens an existing folder by path. The path's last component must not be a symlink.
    /// `private` folders (the ones kgate makes) must also be closed to group and others.
    static func open(_ path: String, isPrivate: Bool) throws(NginxRefusal) -> CheckedFolder {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw refusal(path, errno: errno) }
        let folder = CheckedFolder(path: path, fd: fd)
        try folder.check(isPrivate: isPrivate)
        return folder
    }

    /// Makes `name` inside this folder with mode 0700 unless it exists, and opens it.
    /// Returns the folder and whether this call made it.
    func subfolder(_ name: String) throws(NginxRefusal) -> (folder: CheckedFolder, made: Bool) {
        let made = mkdirat(fd, name, 0o700) == 0
        guard made || errno == EEXIST else { throw Self.refusal(child(name), errno: errno) }
        let sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard sub >= 0 else { throw Self.refusal(child(name), errno: errno) }
        let folder = CheckedFolder(path: child(name), fd: sub)
        try folder.check(isPrivate: true)
        return (folder, made)
    }

    /// Makes `name` (0700) for nginx to own: nginx running as root hands its temporary
    /// folders to its worker user, so only that it is a real folder is checked.
    func nginxSubfolder(_ name: String) throws(NginxRefusal) {
        guard mkdirat(fd, name, 0o700) == 0 || errno == EEXIST else { throw Self.refusal(child(name), errno: errno) }
        guard kind(of: name) == S_IFDIR else { throw Self.refusal(child(name), errno: ENOTDIR) }
    }

    func child(_ name: String) -> String { "\(path)/\(name)" }

    /// The names in the folder, without `.` and `..`, sorted.
    func entries() throws(NginxRefusal) -> [String] {
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else { throw Self.refusal(path, errno: errno) }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// What `name` is, without following a symlink; nil when it does not exist.
    func kind(of name: String) -> mode_t? {
        var info = stat()
        guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// Refuses an entry that exists and is not a regular file: a symlink there was not
    /// made by kgate, and writing through it would overwrite whatever it points at.
    func requireRegularOrAbsent(_ name: String) throws(NginxRefusal) {
        guard let kind = kind(of: name), kind != S_IFREG else { return }
        let what = kind == S_IFLNK ? "a symlink" : kind == S_IFDIR ? "a directory" : "not a regular file"
        throw NginxRefusal("refusing \(child(name)): it is \(what), which kgate did not make; remove it and start again")
    }

    /// Writes `data` to `name` with `mode`, atomically: a new file made with O_EXCL (so
    /// nothing planted is opened), then renamed over the old one.
    func write(_ data: Data, to name: String, mode: mode_t) throws(NginxRefusal) {
        try requireRegularOrAbsent(name)
        let temporary = ".\(name).new-\(getpid())"
        unlinkat(fd, temporary, 0)
        let file = openat(fd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard file >= 0 else { throw Self.refusal(child(name), errno: errno) }
        let failure = Self.writeAll(data, to: file)
        close(file)
        if let failure {
            unlinkat(fd, temporary, 0)
            throw NginxRefusal("cannot write \(child(name)): \(String(cString: strerror(failure)))")
        }
        guard renameat(fd, temporary, fd, name) == 0 else {
            let code = errno
            unlinkat(fd, temporary, 0)
            throw Self.refusal(child(name), errno: code)
        }
    }

    /// Creates `name` empty when it is missing (for files nginx appends to, so that nginx
    /// never creates them through a planted link); refuses anything but a regular file.
    func touch(_ name: String, mode: mode_t) throws(NginxRefusal) {
        try requireRegularOrAbsent(name)
        let file = openat(fd, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, mode)
        guard file >= 0 else { throw Self.refusal(child(name), errno: errno) }
        close(file)
    }

    /// The size of the regular file `name`; nil when there is none.
    func size(of name: String) -> off_t? {
        var info = stat()
        guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return info.st_size
    }

    /// Renames `name` to `newName` in this folder, replacing what was there; false when it cannot.
    func rename(_ name: String, to newName: String) -> Bool { renameat(fd, name, fd, newName) == 0 }

    /// Reads a regular file without following a symlink; nil when it cannot.
    func read(_ name: String) -> Data? {
        let file = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(file, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return n == 0 ? data : nil }
            data.append(contentsOf: buffer[0..<n])
        }
    }

    /// The bytes of the regular file `name` from `offset` on, and the offset of its end;
    /// from the start when the file is shorter than `offset` (truncated or replaced). Nil
    /// when it cannot be read.
    func read(_ name: String, from offset: Int) -> (data: Data, end: Int)? {
        let file = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0 else { return nil }
        var position = Int(info.st_size) < offset ? 0 : offset
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(file, $0.baseAddress, $0.count, off_t(position)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return n == 0 ? (data, position) : nil }
            data.append(contentsOf: buffer[0..<n])
            position += n
        }
    }

    /// The size of the regular file `name`, without following a symlink; 0 when it is not there.
    func size(of name: String) -> Int {
        var info = stat()
        guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return 0 }
        return Int(info.st_size)
    }

    /// Removes the file `name`; a folder or a missing name is left alone.
    func removeFile(_ name: String) {
        guard kind(of: name) == S_IFREG || kind(of: name) == S_IFLNK else { return }
        unlinkat(fd, name, 0)
    }

    /// Opens `name` for a lock, without following a symlink.
    func openForLock(_ name: String) throws(NginxRefusal) -> Int32 {
        try requireRegularOrAbsent(name)
        let file = openat(fd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard file >= 0 else { throw Self.refusal(child(name), errno: errno) }
        return file
    }

    private func check(isPrivate: Bool) throws(NginxRefusal) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.refusal(path, errno: errno) }
        guard info.st_uid == geteuid() else {
            throw NginxRefusal("refusing \(path): it belongs to user \(info.st_uid), not to this user (\(geteuid()))")
        }
        let mode = info.st_mode & 0o7777
        let open: mode_t = isPrivate ? 0o077 : 0o022
        guard mode & open == 0 else {
            let wanted = isPrivate ? "kgate makes it 0700" : "it must not be writable by group or others"
            throw NginxRefusal("refusing \(path): its mode is \(String(mode, radix: 8)) and \(wanted)")
        }
    }

    private static func refusal(_ path: String, errno code: Int32) -> NginxRefusal {
        if code == ELOOP || code == ENOTDIR {
            return NginxRefusal("refusing \(path): it is a symlink or not a folder, which kgate did not make; remove it and start again")
        }
        return NginxRefusal("cannot use \(path): \(String(cString: strerror(code)))")
    }

    /// Returns nil when every byte is written, else the errno.
    private static func writeAll(_ data: Data, to file: Int32) -> Int32? {
        data.withUnsafeBytes { buffer -> Int32? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(file, base + offset, buffer.count - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return n < 0 ? errno : EIO }
                offset += n
            }
            return nil
        }
    }
}
