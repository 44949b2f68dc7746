import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// The workspace index, `.kgate-index` at the root: for each manifest file read before,
/// its stamp (inode, size, modification and status change times in nanoseconds), a hash of its bytes and its
/// documents' trees, so that a new process reads an unchanged workspace without reading
/// and parsing every file again.
///
/// An entry also says whether every object of its file passed validation, under which
/// settings and build (a fingerprint of both), so that an unchanged workspace is not
/// validated again either; any other settings or another build of kgate validate again.
///
/// It is derived, never the truth: an entry is used only when the file's stamp is the one
/// recorded and, for a file modified so shortly before it was indexed that a later change
/// could keep the same stamp, when its bytes still hash the same. A missing, truncated or
/// corrupt index (checked by a hash of the whole) is ignored and written again.
struct WorkspaceIndex {
    static let fileName = ".kgate-index"
    private static let magic = Array("kgate-index 3\n".utf8)
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
        /// Every object of the file passed validation under these settings and this build
        /// (`WorkspaceAssembly.validationFingerprint`); nil when that is not known.
        var validatedUnder: UInt64? = nil

        /// What tells whether the index must be written again.
        struct Key: Hashable {
            var stamp: FileStamp
            var contentHash: UInt64
            var racy: Bool
        }

        var key: Key { Key(stamp: stamp, contentHash: contentHash, racy: racy) }
    }

    var entries: [String: Entry] = [:]
    /// What entries marked valid were validated under (`Entry.validatedUnder`).
    var validatedUnder: UInt64 = 0

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
        guard ContentHash.of(payload) == checksum, let validatedUnder = cursor.word(), let count = cursor.count() else {
            return nil
        }
        var index = WorkspaceIndex()
        index.validatedUnder = validatedUnder
        index.entries.reserveCapacity(count)
        for _ in 0..<count {
            guard let path = cursor.string(), let inode = cursor.word(), let size = cursor.word(),
                let modified = cursor.word(), let changed = cursor.word(), let contentHash = cursor.word(),
                let flags = cursor.byte(), let length = cursor.count(), let trees = cursor.slice(length)
            else { return nil }
            let stamp = FileStamp(
                inode: inode, size: Int64(bitPattern: size), modified: Int64(bitPattern: modified),
                changed: Int64(bitPattern: changed))
            index.entries[path] = Entry(
                stamp: stamp, contentHash: contentHash, racy: flags & Flag.racy != 0, trees: trees,
                validatedUnder: flags & Flag.valid != 0 ? validatedUnder : nil)
        }
        return cursor.atEnd ? index : nil
    }

    func encoded() -> [UInt8] {
        // One buffer: the magic, room for the checksum, the payload; the checksum of the
        // payload is then written in its room (no second copy of a large index).
        var out = WorkspaceIndex.magic
        out.reserveCapacity(entries.values.reduce(out.count + 72) { $0 + $1.trees.count + 64 })
        out.append(contentsOf: repeatElement(0, count: 8))
        let payloadStart = out.count
        withUnsafeBytes(of: validatedUnder.littleEndian) { out.append(contentsOf: $0) }
        TreeCoding.appendVarint(UInt64(entries.count), to: &out)
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) {
            TreeCoding.appendString(path, to: &out)
            let stamp = entry.stamp
            let words = [
                stamp.inode, UInt64(bitPattern: stamp.size), UInt64(bitPattern: stamp.modified),
                UInt64(bitPattern: stamp.changed), entry.contentHash,
            ]
            for word in words {
                withUnsafeBytes(of: word.littleEndian) { out.append(contentsOf: $0) }
            }
            let valid = entry.validatedUnder != nil && entry.validatedUnder == validatedUnder
            out.append((entry.racy ? Flag.racy : 0) | (valid ? Flag.valid : 0))
            TreeCoding.appendVarint(UInt64(entry.trees.count), to: &out)
            out.append(contentsOf: entry.trees)
        }
        let checksum = ContentHash.of(out[payloadStart...]).littleEndian
        withUnsafeBytes(of: checksum) { bytes in
            for (offset, byte) in bytes.enumerated() { out[payloadStart - 8 + offset] = byte }
        }
        return out
    }

    /// The bits of an entry's flags byte.
    private enum Flag {
        static let racy: UInt8 = 1
        static let valid: UInt8 = 2
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
