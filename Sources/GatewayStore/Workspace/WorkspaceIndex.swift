import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// The workspace index, `.kgate-index` at the root: for each manifest file read before,
/// its stamp (inode, size, modification and status change times in nanoseconds), a hash of its bytes and its
/// documents' trees, so that a new process reads an unchanged workspace without reading
/// and parsing every file again.
///
/// It is derived, never the truth: an entry is used only when the file's stamp is the one
/// recorded and, for a file modified so shortly before it was indexed that a later change
/// could keep the same stamp, when its bytes still hash the same. A missing, truncated or
/// corrupt index (checked by a hash of the whole) is ignored and written again.
struct WorkspaceIndex {
    static let fileName = ".kgate-index"
    private static let magic = Array("kgate-index 2\n".utf8)
    /// A file modified less than this before it was indexed is checked by content: file
    /// systems keep coarse times (ext4 takes the kernel's tick), so a second change within
    /// the same tick could leave size and time as they were.
    static let racyWindow: Int64 = 2_000_000_000

    struct Entry {
        var stamp: FileStamp
        var contentHash: UInt64
        /// The stamp cannot be trusted alone (see `racyWindow`).
        var racy: Bool
        /// `TreeCoding` bytes of the file's documents.
        var trees: ArraySlice<UInt8>

        /// What tells whether the index must be written again.
        struct Key: Hashable {
            var stamp: FileStamp
            var contentHash: UInt64
            var racy: Bool
        }

        var key: Key { Key(stamp: stamp, contentHash: contentHash, racy: racy) }
    }

    var entries: [String: Entry] = [:]

    /// The index at `path`; empty when it is missing, truncated or corrupt.
    static func load(_ path: String) -> WorkspaceIndex {
        guard case .success(let bytes) = AtomicFile.readBytes(path) else { return WorkspaceIndex() }
        return parse(bytes[...]) ?? WorkspaceIndex()
    }

    static func parse(_ bytes: ArraySlice<UInt8>) -> WorkspaceIndex? {
        guard bytes.starts(with: magic) else { return nil }
        var cursor = TreeCoding.ByteCursor(bytes: bytes[(bytes.startIndex + magic.count)...])
        guard let checksum = cursor.word() else { return nil }
        let payload = bytes[cursor.position...]
        guard ContentHash.of(payload) == checksum, let count = cursor.count() else { return nil }
        var index = WorkspaceIndex()
        index.entries.reserveCapacity(count)
        for _ in 0..<count {
            guard let path = cursor.string(), let inode = cursor.word(), let size = cursor.word(),
                let modified = cursor.word(), let changed = cursor.word(), let contentHash = cursor.word(),
                let racy = cursor.byte(), let length = cursor.count(), let trees = cursor.slice(length)
            else { return nil }
            let stamp = FileStamp(
                inode: inode, size: Int64(bitPattern: size), modified: Int64(bitPattern: modified),
                changed: Int64(bitPattern: changed))
            index.entries[path] = Entry(stamp: stamp, contentHash: contentHash, racy: racy != 0, trees: trees)
        }
        return cursor.atEnd ? index : nil
    }

    func encoded() -> [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(entries.values.reduce(64) { $0 + $1.trees.count + 64 })
        TreeCoding.appendVarint(UInt64(entries.count), to: &payload)
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) {
            TreeCoding.appendString(path, to: &payload)
            let stamp = entry.stamp
            let words = [
                stamp.inode, UInt64(bitPattern: stamp.size), UInt64(bitPattern: stamp.modified),
                UInt64(bitPattern: stamp.changed), entry.contentHash,
            ]
            for word in words {
                withUnsafeBytes(of: word.littleEndian) { payload.append(contentsOf: $0) }
            }
            payload.append(entry.racy ? 1 : 0)
            TreeCoding.appendVarint(UInt64(entry.trees.count), to: &payload)
            payload.append(contentsOf: entry.trees)
        }
        var out = WorkspaceIndex.magic
        withUnsafeBytes(of: ContentHash.of(payload[...]).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: payload)
        return out
    }

    /// Replaces the index at `path` by this one: a temporary renamed over it, not synced
    /// (a torn index after a crash fails its hash and is rebuilt). Failures are ignored:
    /// the index only saves time.
    func write(to path: String) {
        let temporary = "\(Path.folder(of: path))/.\(Path.base(of: path)).tmp-\(getpid())"
        let bytes = encoded()
        guard (try? AtomicFile.writeNew(bytes, to: temporary, mode: 0o644, sync: false)) != nil else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }
}

/// FNV-1a, 64 bits: a fast hash to notice changed bytes (not an adversary: whoever can
/// write the index can write the manifests).
enum ContentHash {
    static func of(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBufferPointer { buffer in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in buffer {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            return hash
        }
    }
}
