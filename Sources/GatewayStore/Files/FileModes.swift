#if canImport(Glibc)
    import Glibc
#endif

/// Who may read what in a workspace: Secret manifests hold private keys, so they and
/// their folders are the owner's alone (0600 and 0700), as kubectl keeps a kubeconfig.
enum FileModes {
    /// Removes the group and other bits of a folder that holds Secrets.
    static func restrictToOwner(folder: String) {
        var info = stat()
        guard lstat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_mode & 0o077 != 0 else { return }
        chmod(folder, info.st_mode & 0o700)
    }

    /// The mode of a Secret file when group or others may read or write it, else nil.
    static func looseSecretMode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { return nil }
        return info.st_mode & 0o777
    }
}
