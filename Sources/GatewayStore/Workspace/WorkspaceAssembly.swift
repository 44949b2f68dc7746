import Dispatch
import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// The workspace as assembled from its files' parsed objects: which object comes from
/// which file, what did not load and why, and the inventory. Kept between reads, so that a
/// change of a few files costs work for their objects only (`patch`), not a pass over the
/// workspace; `init(files:)` assembles it all, and is what a patch must always equal.
struct WorkspaceAssembly {
    let layout: WorkspaceLayout
    /// Which file each object came from.
    private(set) var sources: [ObjectKey: String] = [:]
    /// What is known of each file whatever its objects are.
    private var tables = FileTables()
    /// How many objects each file holds; kgate rewrites only single-object files.
    var objectCounts: [String: Int] { tables.objectCounts }
    /// Files with a problem: never overwritten by kgate.
    var brokenFiles: Set<String> { tables.brokenFiles }
    /// Files that could not be read.
    var unreadableFiles: [String: ReadFailure] { tables.unreadableFiles }
    /// Secret files that group or others may read, with their modes.
    var looseSecrets: [String: mode_t] { tables.looseSecrets }
    private(set) var objects: [ObjectKey: KubeObject] = [:]
    private(set) var inventory = Inventory()

    /// Problems of each file: what did not parse (`tables`), then what did not validate or
    /// is a duplicate, in the order of the file's objects.
    private var objectProblems: [String: [ManifestProblem]] = [:]
    /// Keys defined by more than one file, or by a file where they did not validate:
    /// which definition counts depends on every file that has one, so a change there is
    /// assembled anew.
    private var unsettled: Set<ObjectKey> = []
    /// Objects other than routes, with their file and position in it: few, so the
    /// inventory's other lists are gathered again from these on a change.
    private var others: [ObjectKey: Placed] = [:]
    /// What objects are validated against: the first settings object, in file order.
    private var settings = WorkspaceSettings()
    /// `validationFingerprint(settings)`: what the index records its valid files under.
    private(set) var fingerprint: UInt64 = 0

    private struct Placed {
        var path: String
        var position: Int
        var object: KubeObject
    }

    /// What a read found different in one file.
    struct FileChange {
        var path: String
        /// The file as the last assembly had it; nil for a new file.
        var old: ParsedFile?
        /// The file now; nil for a removed one.
        var new: ParsedFile?
    }

    /// Every file, `files` sorted by path (the first file that defines an object wins).
    init(layout: WorkspaceLayout, files: [ParsedFile]) {
        self.layout = layout
        // The first settings object, in file order, is what objects are validated against.
        search: for result in files {
            for object in result.objects {
                if case .settings(let found) = object {
                    settings = found
                    break search
                }
            }
        }
        fingerprint = WorkspaceAssembly.validationFingerprint(settings)
        var routes: [Route] = []
        // About an object a file: grown one insert at a time, these tables were rebuilt
        // over and over (a tenth of a first frame at 100,000 routes).
        routes.reserveCapacity(files.count)
        sources.reserveCapacity(files.count)
        objects.reserveCapacity(files.count)
        let validation = WorkspaceAssembly.validateAll(files, settings: settings, fingerprint: fingerprint)
        // The tables of each file are made on another core while the objects are placed
        // (made in the same loop, they were a fifth of assembling 100,000 files, on one
        // core). `refuse` meanwhile notes broken files in `tables`, joined with them after.
        let noted = DispatchGroup()
        let made = ResultBox<FileTables>(count: 1)
        DispatchQueue.global().async(group: noted) { made.set(0, FileTables(files)) }
        // By index, not by zipped copies of each file (a tenth of the assembly).
        for index in files.indices {
            let path = files[index].path
            let fileErrors = validation[index]
            for (position, object) in files[index].objects.enumerated() {
                let key = ObjectKey(object)
                let errors = fileErrors.isEmpty ? [] : fileErrors[position]
                // The first definition that validated is used.
                guard errors.isEmpty else {
                    if let first = sources[key] {
                        refuse(key, in: path, duplicate(object, path: path, first: first))
                    } else {
                        refuse(key, in: path, ManifestProblem(source: layout.relative(path), errors: errors))
                    }
                    continue
                }
                // Put in first (one lookup, where nearly every key is new), put back when
                // it was not new.
                if let first = sources.updateValue(path, forKey: key) {
                    sources[key] = first
                    refuse(key, in: path, duplicate(object, path: path, first: first))
                    continue
                }
                objects[key] = object
                if case .route(let route) = object {
                    routes.append(route)
                } else {
                    others[key] = Placed(path: path, position: position, object: object)
                }
            }
        }
        // File order is nearly this order (a project's folder, a file a route): the sort
        // finds the runs.
        routes.sort { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        noted.wait()
        var fileTables = made.takeValues()[0]
        fileTables.brokenFiles.formUnion(tables.brokenFiles)
        tables = fileTables
        gatherOthers(routes: routes)
    }

    /// Each file's objects' validation errors, in order, worked out on every core:
    /// validation is a function of the object and the settings alone, and done one object
    /// after another it was a quarter of a cold first frame at 10,000 routes. A file the
    /// index says was validated under the same settings by the same build gets no entries.
    private static func validateAll(_ files: [ParsedFile], settings: WorkspaceSettings, fingerprint: UInt64)
        -> [[[FieldError]]]
    {
        files.parallelMap { file in
            file.validatedUnder == fingerprint ? [] : file.objects.map { Validate.object($0, settings: settings) }
        }
    }

    /// An object of `path` that is not used: the file is reported broken, with `problem`.
    private mutating func refuse(_ key: ObjectKey, in path: String, _ problem: ManifestProblem) {
        unsettled.insert(key)
        tables.brokenFiles.insert(path)
        objectProblems[path, default: []].append(problem)
    }

    /// Applies `changes` (at most one a path) in place; false when they touch what only a
    /// full assembly decides (the settings, an object defined twice), and nothing changed.
    mutating func patch(_ changes: [FileChange]) -> Bool {
        var changedPaths: Set<String> = []
        for change in changes { changedPaths.insert(change.path) }
        var incoming: Set<ObjectKey> = []
        for change in changes {
            for object in change.old?.objects ?? [] {
                if case .settings = object { return false }
                if unsettled.contains(ObjectKey(object)) { return false }
            }
            for object in change.new?.objects ?? [] {
                if case .settings = object { return false }
                let key = ObjectKey(object)
                guard incoming.insert(key).inserted, !unsettled.contains(key) else { return false }
                // Defined by a file that stays, or by one that failed to validate there:
                // which one wins is for a full assembly to say.
                if let source = sources[key], !changedPaths.contains(source) { return false }
            }
        }
        var othersChanged = false
        var routes = inventory.routes
        inventory.routes = []
        for change in changes {
            let path = change.path
            for object in change.old?.objects ?? [] {
                let key = ObjectKey(object)
                guard sources[key] == path else { continue }
                sources[key] = nil
                objects[key] = nil
                if case .route(let route) = object {
                    let index = Self.position(of: route, in: routes)
                    if index < routes.count, routes[index].name == route.name, routes[index].namespace == route.namespace {
                        routes.remove(at: index)
                    }
                } else {
                    others[key] = nil
                    othersChanged = true
                }
            }
            tables.forget(path)
            objectProblems[path] = nil
        }
        for change in changes {
            guard let result = change.new else { continue }
            let path = change.path
            tables.note(path: path, result)
            for (position, object) in result.objects.enumerated() {
                let key = ObjectKey(object)
                let errors = Validate.object(object, settings: settings)
                guard errors.isEmpty else {
                    refuse(key, in: path, ManifestProblem(source: layout.relative(path), errors: errors))
                    continue
                }
                sources[key] = path
                objects[key] = object
                if case .route(let route) = object {
                    routes.insert(route, at: Self.position(of: route, in: routes))
                } else {
                    others[key] = Placed(path: path, position: position, object: object)
                    othersChanged = true
                }
            }
        }
        if othersChanged {
            gatherOthers(routes: routes)
        } else {
            inventory.routes = routes
            inventory.routesPassedValidation = true
            inventory.problems = problems
        }
        return true
    }

    /// What is known of each file whatever its objects are.
    struct FileTables: Sendable {
        var objectCounts: [String: Int] = [:]
        var brokenFiles: Set<String> = []
        var unreadableFiles: [String: ReadFailure] = [:]
        var looseSecrets: [String: mode_t] = [:]
        /// What did not parse in each file.
        var parseProblems: [String: [ManifestProblem]] = [:]

        init() {}

        init(_ files: [ParsedFile]) {
            objectCounts.reserveCapacity(files.count)
            for file in files { note(path: file.path, file) }
        }

        mutating func note(path: String, _ result: ParsedFile) {
            objectCounts[path] = result.objects.count + result.problems.count
            if !result.problems.isEmpty {
                brokenFiles.insert(path)
                parseProblems[path] = result.problems
            }
            if let failure = result.unreadable { unreadableFiles[path] = failure }
            if let mode = result.looseSecretMode { looseSecrets[path] = mode }
        }

        mutating func forget(_ path: String) {
            objectCounts[path] = nil
            brokenFiles.remove(path)
            parseProblems[path] = nil
            unreadableFiles[path] = nil
            looseSecrets[path] = nil
        }
    }

    /// The index where `route` is or would go in `routes`, sorted by namespace and name.
    private static func position(of route: Route, in routes: [Route]) -> Int {
        var low = 0
        var high = routes.count
        while low < high {
            let middle = (low + high) / 2
            let other = routes[middle]
            if (other.namespace, other.name) < (route.namespace, route.name) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The inventory of `routes` (sorted) and the other objects, gathered in file order.
    private mutating func gatherOthers(routes: [Route]) {
        let placed = others.values.sorted { ($0.path, $0.position) < ($1.path, $1.position) }
        var gathered = Inventory(objects: placed.map(\.object), problems: problems)
        gathered.routes = routes
        // Only objects that validated get here.
        gathered.routesPassedValidation = true
        inventory = gathered
    }

    /// Every problem, the files in path order: what did not parse first, then the rest.
    private var problems: [ManifestProblem] {
        tables.parseProblems.sorted { $0.key < $1.key }.flatMap(\.value)
            + objectProblems.sorted { $0.key < $1.key }.flatMap(\.value)
    }

    /// Validation depends on the settings and on the rules of this build of kgate: a
    /// fingerprint of both (the executable's inode, size and modification time).
    static func validationFingerprint(_ settings: WorkspaceSettings) -> UInt64 {
        ContentHash.of(Array("\(String(reflecting: settings))|\(buildIdentity)".utf8)[...])
    }

    static let buildIdentity: String = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return "unknown-\(getpid())" }
        return "\(info.st_ino)-\(info.st_size)-\(WorkspaceFileScan.nanoseconds(info.st_mtim))"
    }()

    private func duplicate(_ object: KubeObject, path: String, first: String) -> ManifestProblem {
        ManifestProblem(
            source: layout.relative(path),
            errors: [FieldError("metadata.name", "\(object.reference) is also defined in \(layout.relative(first)); that one is used")])
    }
}
