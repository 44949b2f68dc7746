import GatewayKit

/// What a `WorkspaceReader` keeps of the workspace index on disk (`WorkspaceIndex`), and
/// how it writes it; all under the reader's read lock, as the rest of its state.
extension WorkspaceReader {
    /// What the index on disk holds: each entry's key, by relative path. Kept as the
    /// index's list until a lookup needs a table: a store's first read on a current index
    /// needs only how many there are.
    struct IndexedKeys {
        private var list: [(String, WorkspaceIndex.Entry.Key)]
        private var table: [String: WorkspaceIndex.Entry.Key]?

        init(_ entries: [(path: String, entry: WorkspaceIndex.Entry)]) {
            list = entries.map { ($0.path, $0.entry.key) }
        }

        var count: Int { table?.count ?? list.count }

        mutating func byPath() -> [String: WorkspaceIndex.Entry.Key] {
            if let table { return table }
            // An index's paths are distinct (`WorkspaceIndex.parse`, `updateIndex`).
            let made = Dictionary(uniqueKeysWithValues: list)
            table = made
            list = []
            return made
        }
    }

    var indexPath: String { "\(layout.root)/\(WorkspaceIndex.fileName)" }

    /// Writes the index when what it would hold differs from what it holds: on a store's
    /// first read at any difference, later only once a hundredth of it differs. A stale
    /// entry costs only a parse of its file, while rewriting the whole index on each
    /// change that the console follows would cost more than the change itself.
    /// `touched`: the files this read looked at again (nil: every file).
    func updateIndex(touched: [String]?, firstRead: Bool) {
        let written = state.indexed?.byPath() ?? [:]
        if let touched {
            for path in touched {
                let relative = layout.relative(path)
                if state.files[path]?.indexKey != written[relative] {
                    state.staleIndexEntries.insert(relative)
                } else {
                    state.staleIndexEntries.remove(relative)
                }
            }
        } else {
            var stale: Set<String> = []
            var current = 0
            for (path, file) in state.files {
                guard let key = file.indexKey else { continue }
                current += 1
                let relative = layout.relative(path)
                if written[relative] != key { stale.insert(relative) }
            }
            if written.count > current - stale.count {
                // Entries of files gone or no longer indexed.
                for (relative, _) in written where state.files["\(layout.root)/\(relative)"]?.indexKey == nil { stale.insert(relative) }
            }
            state.staleIndexEntries = stale
        }
        let differing = state.staleIndexEntries.count
        guard differing > 0, firstRead || differing * 100 >= max(state.files.count, 1) else { return }
        writeIndex(of: state.files.values, inPathOrder: false)
    }

    /// Writes the index of every indexed file of `files`, which are all the workspace's;
    /// `inPathOrder` when they come in the listing's order, which is the index's too (then
    /// checked, not sorted).
    func writeIndex(of files: some Collection<ParsedFile>, inPathOrder: Bool) {
        var index = WorkspaceIndex()
        index.entries.reserveCapacity(files.count)
        let broken = state.assembly?.brokenFiles ?? []
        let fingerprint = state.assembly?.fingerprint ?? 0
        index.validatedUnder = fingerprint
        var ordered = inPathOrder
        for file in files {
            guard let content = file.indexed else { continue }
            let entry = WorkspaceIndex.Entry(
                stamp: file.stamp, contentHash: file.contentHash, racy: file.racy, content: content,
                validatedUnder: state.assembly == nil || broken.contains(file.path) ? nil : fingerprint)
            let relative = layout.relative(file.path)
            if ordered, let last = index.entries.last?.path, !(last < relative) { ordered = false }
            index.entries.append((relative, entry))
        }
        if !ordered { index.entries.sort { $0.path < $1.path } }
        state.indexed = IndexedKeys(index.entries)
        state.staleIndexEntries = []
        index.write(to: indexPath)
    }
}
