import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// The workspace index, `.kgate-index` at the root: for each manifest file read before,
/// its stamp (inode, size, modification and status change times in nanoseconds), a hash of
/// its bytes and what it holds (`Content`): its routes as the parser made them when it
/// holds routes only, else its documents' trees; so that a new process reads an unchanged
/// workspace without reading and parsing every file again.
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
    private static let magic = Array("kgate-index 4\n".utf8)
    /// A file modified less than this before it was indexed is checked by content: file
    /// systems keep coarse times (ext4 takes the kernel's tick), so a second change within
    /// the same tick could leave size and time as they were.
    static let racyWindow: Int64 = 2_000_000_000

    struct Entry {
        var stamp: FileStamp
        var contentHash: UInt64
        /// The stamp cannot be trusted alone (see `racyWindow`).
        var racy: Bool
        var content: Content
        /// Every object of the file passed validation under these settings and this build
        /// (`WorkspaceAssembly.validationFingerprint`); nil when that is not known.
        var validatedUnder: UInt64? = nil

        init(stamp: FileStamp, contentHash: UInt64, racy: Bool, content: Content, validatedUnder: UInt64? = nil) {
            self.stamp = stamp
            self.contentHash = contentHash
            self.racy = racy
            self.content = content
            self.validatedUnder = validatedUnder
        }

        init(stamp: FileStamp, contentHash: UInt64, racy: Bool, trees: ArraySlice<UInt8>, validatedUnder: UInt64? = nil) {
            self.init(stamp: stamp, contentHash: contentHash, racy: racy, content: .trees(trees), validatedUnder: validatedUnder)
        }

        /// What tells whether the index must be written again.
        struct Key: Hashable {
            var stamp: FileStamp
            var contentHash: UInt64
            var racy: Bool
        }

        var key: Key { Key(stamp: stamp, contentHash: contentHash, racy: racy) }
    }

    /// What an entry holds of its file.
    enum Content: Sendable {
        /// `TreeCoding` bytes of the file's documents.
        case trees(ArraySlice<UInt8>)
        /// `RouteCoding` bytes of the file's routes, as the parser of this build made them.
        case routes(ArraySlice<UInt8>)

        var bytes: ArraySlice<UInt8> {
            switch self {
            case .trees(let bytes), .routes(let bytes): bytes
            }
        }
    }

    /// By relative path, in path order (as the listing of a read is, so that a first read
    /// finds each file's entry by walking both at once, not by a table of 100,000 paths).
    var entries: [(path: String, entry: Entry)] = []

    /// The entry of the file at `path` (relative to the root).
    func entry(at path: String) -> Entry? {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].path < path { low = middle + 1 } else { high = middle }
        }
        return low < entries.count && entries[low].path == path ? entries[low].entry : nil
    }

    /// What entries marked valid were validated under (`Entry.validatedUnder`).
    var validatedUnder: UInt64 = 0
    /// The build that wrote the index: `Content.routes` is read by that build alone (another
    /// build's parser could make other routes of the same bytes); another build's index
    /// loads without those entries, and their files are parsed.
    static let thisBuild = ContentHash.of(Array(WorkspaceAssembly.buildIdentity.utf8)[...])

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
        guard ContentHash.of(payload) == checksum, let validatedUnder = cursor.word(), let builtBy = cursor.word(),
            let count = cursor.count()
        else {
            return nil
        }
        let sameBuild = builtBy == thisBuild
        var index = WorkspaceIndex()
        index.validatedUnder = validatedUnder
        index.entries.reserveCapacity(count)
        var inOrder = true
        for _ in 0..<count {
            guard let path = cursor.string(), let inode = cursor.word(), let size = cursor.word(),
                let modified = cursor.word(), let changed = cursor.word(), let contentHash = cursor.word(),
                let flags = cursor.byte(), let length = cursor.count(), let bytes = cursor.slice(length)
            else { return nil }
            if flags & Flag.routes != 0, !sameBuild { continue }
            let stamp = FileStamp(
                inode: inode, size: Int64(bitPattern: size), modified: Int64(bitPattern: modified),
                changed: Int64(bitPattern: changed))
            if let last = index.entries.last?.path, !(last < path) { inOrder = false }
            index.entries.append(
                (
                    path,
                    Entry(
                        stamp: stamp, contentHash: contentHash, racy: flags & Flag.racy != 0,
                        content: flags & Flag.routes != 0 ? .routes(bytes) : .trees(bytes),
                        validatedUnder: flags & Flag.valid != 0 ? validatedUnder : nil)
                ))
        }
        // Written in order; one that is not (or names a path twice) is not this index.
        return cursor.atEnd && inOrder ? index : nil
    }

    func encoded() -> [UInt8] {
        // One buffer: the magic, room for the checksum, the payload; the checksum of the
        // payload is then written in its room (no second copy of a large index).
        var out = WorkspaceIndex.magic
        out.reserveCapacity(entries.reduce(out.count + 80) { $0 + $1.entry.content.bytes.count + 112 })
        out.append(contentsOf: repeatElement(0, count: 8))
        let payloadStart = out.count
        withUnsafeBytes(of: validatedUnder.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: WorkspaceIndex.thisBuild.littleEndian) { out.append(contentsOf: $0) }
        TreeCoding.appendVarint(UInt64(entries.count), to: &out)
        for (path, entry) in entries {
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
            var flags = (entry.racy ? Flag.racy : 0) | (valid ? Flag.valid : 0)
            if case .routes = entry.content { flags |= Flag.routes }
            out.append(flags)
            let bytes = entry.content.bytes
            TreeCoding.appendVarint(UInt64(bytes.count), to: &out)
            out.append(contentsOf: bytes)
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
        /// The entry holds `Content.routes`.
        static let routes: UInt8 = 4
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

/// FNV-1a's steps over 64-bit words (the last few bytes one by one), then a final mix: a
/// fast hash to notice changed bytes (not an adversary: whoever can write the index can
/// write the manifests). A word a step keeps the check of a 100,000-file index short.
enum ContentHash {
    static func of(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { buffer in
            let prime: UInt64 = 0x0000_0100_0000_01B3
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(buffer.count)
            var offset = 0
            while offset + 8 <= buffer.count {
                let word = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                hash = (hash ^ word) &* prime
                hash ^= hash >> 29
                offset += 8
            }
            while offset < buffer.count {
                hash = (hash ^ UInt64(buffer[offset])) &* prime
                offset += 1
            }
            hash ^= hash >> 32
            return hash &* 0x9E37_79B9_7F4A_7C15
        }
    }
}
