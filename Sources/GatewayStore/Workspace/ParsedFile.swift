import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// What one manifest file gave: its objects and problems, and what it takes to know
/// later whether it is still the same file and to put it in the workspace index.
///
/// What the file holds is kept in one shared, immutable box (`Held`): a file's state is
/// passed from a read's workers to the store's table and the assembly, and copying it
/// field by field was a tenth of an unchanged 100,000-route first frame.
struct ParsedFile: Sendable {
    /// The file's full path.
    let path: String
    var stamp: FileStamp
    var contentHash: UInt64 = 0
    /// Modified too shortly before it was read for the stamp alone to tell a later change
    /// (`WorkspaceIndex.racyWindow`): reused only when its bytes still hash the same.
    var racy = false
    /// Whether the read that gave this parsed the file's text (not memory, not the index).
    var parsedNow = false
    /// The index says every object of the file passed validation under this fingerprint
    /// (`WorkspaceAssembly.validationFingerprint`).
    var validatedUnder: UInt64? = nil
    private let held: Held

    var objects: [KubeObject] { held.objects }
    var problems: [ManifestProblem] { held.problems }
    var unreadable: ReadFailure? { held.unreadable }
    /// A Secret file that group or others may read: its mode.
    var looseSecretMode: mode_t? { held.looseSecretMode }
    /// What the index holds of the file (its routes, or its documents' trees); nil for a
    /// file not indexed: one with a problem, or holding a Secret (key material is never
    /// copied elsewhere).
    var indexed: WorkspaceIndex.Content? { held.indexed }

    private final class Held: Sendable {
        let objects: [KubeObject]
        let problems: [ManifestProblem]
        let unreadable: ReadFailure?
        let looseSecretMode: mode_t?
        let indexed: WorkspaceIndex.Content?

        init(
            objects: [KubeObject], problems: [ManifestProblem], unreadable: ReadFailure?, looseSecretMode: mode_t?,
            indexed: WorkspaceIndex.Content?
        ) {
            self.objects = objects
            self.problems = problems
            self.unreadable = unreadable
            self.looseSecretMode = looseSecretMode
            self.indexed = indexed
        }
    }

    private init(
        path: String, stamp: FileStamp, objects: [KubeObject] = [], problems: [ManifestProblem] = [],
        unreadable: ReadFailure? = nil, looseSecretMode: mode_t? = nil, indexed: WorkspaceIndex.Content? = nil
    ) {
        self.path = path
        self.stamp = stamp
        held = Held(
            objects: objects, problems: problems, unreadable: unreadable, looseSecretMode: looseSecretMode, indexed: indexed)
    }

    /// What the index holds of this file; nil when it is not indexed.
    var indexKey: WorkspaceIndex.Entry.Key? {
        indexed == nil ? nil : WorkspaceIndex.Entry.Key(stamp: stamp, contentHash: contentHash, racy: racy)
    }

    /// A file read before, in this process or in the index.
    enum Prior {
        case memory(ParsedFile)
        case index(WorkspaceIndex.Entry)
    }

    /// The file at `path` (shown as `source`, worked out only when a problem may need it),
    /// reusing `prior` when it is still the same file; `now` is the time of this read.
    static func resolve(path: String, source: @autoclosure () -> String, stamp: FileStamp, prior: Prior?, now: Int64)
        -> ParsedFile
    {
        let racyNow = stamp.latest > now - WorkspaceIndex.racyWindow
        var bytes: [UInt8]? = nil
        switch prior {
        case .memory(var known) where known.stamp == stamp:
            known.parsedNow = false
            if !known.racy { return known }
            bytes = try? AtomicFile.readBytes(path).get()
            if let bytes, ContentHash.of(bytes[...]) == known.contentHash {
                known.racy = racyNow
                return known
            }
        case .index(let entry) where entry.stamp == stamp:
            if entry.racy {
                bytes = try? AtomicFile.readBytes(path).get()
                guard let bytes, ContentHash.of(bytes[...]) == entry.contentHash else { break }
            }
            if let (objects, problems) = fromIndex(entry.content, source: source, stamp: stamp) {
                var file = ParsedFile(path: path, stamp: stamp, objects: objects, problems: problems, indexed: entry.content)
                file.contentHash = entry.contentHash
                file.racy = racyNow
                file.validatedUnder = entry.validatedUnder
                return file
            }
        default: break
        }
        let read = bytes.map { Result<[UInt8], ReadFailure>.success($0) } ?? AtomicFile.readBytes(path)
        switch read {
        case .failure(let failure):
            return ParsedFile(
                path: path, stamp: stamp,
                problems: [ManifestProblem(source: source(), errors: [FieldError("", "cannot read the file: \(failure.reason)")])],
                unreadable: failure)
        case .success(let bytes):
            return parse(bytes, path: path, source: source(), stamp: stamp, racy: racyNow)
        }
    }

    private static func parse(_ bytes: [UInt8], path: String, source: String, stamp: FileStamp, racy: Bool) -> ParsedFile {
        let text = String(decoding: bytes, as: UTF8.self)
        let objects: [KubeObject]
        let problems: [ManifestProblem]
        var indexed: WorkspaceIndex.Content? = nil
        if let trees = ManifestParser.trees(text) {
            (objects, problems) = ManifestParser.parse(trees: trees, source: source)
            if problems.isEmpty, !objects.contains(where: { $0.kind == "Secret" }) {
                indexed = content(objects: objects, trees: trees)
            }
        } else {
            (objects, problems) = ManifestParser.parse(text, source: source)
        }
        let holdsSecret = objects.contains { $0.kind == "Secret" }
        var file = ParsedFile(
            path: path, stamp: stamp, objects: objects.map { stamped($0, stamp) }, problems: problems,
            looseSecretMode: holdsSecret ? FileModes.looseSecretMode(path) : nil, indexed: indexed)
        file.contentHash = ContentHash.of(bytes[...])
        file.racy = racy
        file.parsedNow = true
        return file
    }

    /// What the index keeps of a file that parsed whole: its routes (as parsed, before
    /// `stamped`) when it holds routes only, its trees otherwise.
    private static func content(objects: [KubeObject], trees: [ManifestTree]) -> WorkspaceIndex.Content {
        var encoded: [UInt8] = []
        let routes = objects.compactMap { object -> Route? in
            guard case .route(let route) = object else { return nil }
            return route
        }
        if !routes.isEmpty, routes.count == objects.count {
            RouteCoding.encode(routes, to: &encoded)
            return .routes(encoded[...])
        }
        TreeCoding.encode(trees, to: &encoded)
        return .trees(encoded[...])
    }

    /// The objects and problems of a file as its index entry says; nil when the entry does
    /// not decode.
    private static func fromIndex(_ content: WorkspaceIndex.Content, source: () -> String, stamp: FileStamp)
        -> (objects: [KubeObject], problems: [ManifestProblem])?
    {
        switch content {
        case .routes(let bytes):
            guard let routes = RouteCoding.decode(bytes) else { return nil }
            return (routes.map { stamped(.route($0), stamp) }, [])
        case .trees(let bytes):
            guard let trees = TreeCoding.decode(bytes) else { return nil }
            let (objects, problems) = ManifestParser.parse(trees: trees, source: source())
            return (objects.map { stamped($0, stamp) }, problems)
        }
    }

    /// A hand-written file has no version of its own; its modification time stands in,
    /// so that an edit from a stale read is still a conflict.
    private static func stamped(_ object: KubeObject, _ stamp: FileStamp) -> KubeObject {
        guard object.resourceVersion == nil else { return object }
        var object = object
        object.resourceVersion = "m\(stamp.modified)"
        return object
    }
}
