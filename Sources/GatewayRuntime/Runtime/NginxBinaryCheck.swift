#if canImport(Glibc)
    import Glibc
#endif

extension NginxBinary {
    /// Refuses a path that cannot be run, naming the path and the system's reason, before
    /// anything is written or started.
    public func requireRunnable() throws(NginxRefusal) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw refusal(errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw refusal(info.st_mode & S_IFMT == S_IFDIR ? EISDIR : EACCES) }
        guard access(path, X_OK) == 0 else { throw refusal(errno) }
    }

    private func refusal(_ code: Int32) -> NginxRefusal {
        NginxRefusal("cannot run nginx at \(path): \(String(cString: strerror(code)))")
    }
}
