#if canImport(Glibc)
    import Glibc
#endif

/// The names in a folder, or why it could not be listed: an unreadable folder must never
/// read as an empty one.
enum FolderListing {
    static func names(in folder: String) -> Result<[String], ReadFailure> {
        guard let directory = opendir(folder) else { return .failure(ReadFailure(path: folder, code: errno)) }
        defer { closedir(directory) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { return .failure(ReadFailure(path: folder, code: errno)) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names)
    }
}
