import Foundation
import GatewayKit
import Testing
import TestSupport

@testable import GatewayStore

#if canImport(Glibc)
    import Glibc
#endif

/// The workspace index is derived and never needed for correctness (issue 15 item 1): a
/// new store takes unchanged files from it, and whatever happens to it or behind it, the
/// views are what the manifests say.
@Suite("Workspace index", .serialized)
struct WorkspaceIndexTests {
    let workspace: DemoWorkspaceFixture
    var root: String { workspace.root }
    var indexPath: String { "\(root)/\(WorkspaceIndex.fileName)" }

    init() throws { workspace = try DemoWorkspaceFixture("index") }

    /// A new store's read of the workspace, and how many files that read parsed.
    func freshRead() -> (inventory: Inventory, parsed: Int) {
        let reader = WorkspaceStore(root: root).reader
        let snapshot = reader.read()
        return (snapshot.inventory, reader.parsedByLastRead)
    }

    var manifestCount: Int { WorkspaceFileScan.scan(root: root).files.count }

    @Test("a new store's read from the index equals a parse when file names sort differently as bytes and as text")
    func indexWalkedWithTheListingWhateverTheNames() throws {
        // Routes in files whose names are not ASCII, one with a combining accent, and
        // ASCII names around them: an entry the walk misses is parsed, never misplaced.
        let names = ["caf\u{E9}", "cafe\u{301}x", "cafe", "z\u{9805}", "a-b", "a", "Z"]
        for (position, name) in names.enumerated() {
            let path = RoutePath(pathType: .prefix, backend: RouteBackend(service: "web", port: 80))
            let route = Route(
                metadata: ObjectMeta(name: "walk-\(position)", namespace: "demo"),
                rules: [RouteRule(host: "walk\(position).example.com", paths: [path])])
            try Data(ManifestRenderer.yaml([.route(route)]).utf8).write(to: URL(fileURLWithPath: "\(root)/demo/ingress-\(name).yaml"))
        }
        // Older than the racy window, so that the second read trusts stamps.
        let past = Date(timeIntervalSinceNow: -60)
        for name in names {
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: "\(root)/demo/ingress-\(name).yaml")
        }
        let first = freshRead()
        let second = freshRead()
        #expect(second.inventory == first.inventory)
        #expect(first.inventory.routes.filter { $0.name.hasPrefix("walk-") }.count == names.count)
        // The ASCII names and NFC names at least came from the index.
        #expect(second.parsed < first.parsed)
    }

    @Test("the walk orders paths as their bytes do, as the listing and the index are sorted")
    func walkOrdersPathsAsBytes() {
        var generator = SystemRandomNumberGenerator()
        // Empty, prefixes of each other, '/' against letters, and UTF-8 beyond ASCII.
        let fixed: [[UInt8]] = [[], [0x61], [0x61, 0x62], [0x61, 0x2F], [0x61, 0x2F, 0x62], [0xC3, 0xA9], [0x65, 0xCC, 0x81]]
        let random = (0..<150).map { _ in
            (0..<Int.random(in: 0...6, using: &generator)).map { _ in UInt8.random(in: 0x2D...0x63, using: &generator) }
        }
        let samples = fixed + random + [[0xFF, 0x00]]
        var wrong: [([UInt8], [UInt8], Int)] = []
        for a in samples {
            for b in samples {
                let order = a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in WorkspaceReader.byteOrder(a, b) } }
                if (order < 0) != a.lexicographicallyPrecedes(b) || (order == 0) != (a == b) { wrong.append((a, b, order)) }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
    }

    @Test("a new store reads an unchanged workspace from the index, parsing nothing, and sees the same objects")
    func unchangedFromIndex() throws {
        let first = freshRead()
        #expect(FileManager.default.fileExists(atPath: indexPath))
        let second = freshRead()
        // The demo's Secret files are never indexed: their key material stays in them alone.
        let secrets = first.inventory.secrets.count
        #expect(secrets > 0)
        #expect(second.parsed == secrets)
        #expect(second.inventory == first.inventory)
        // Only objects that validated make a workspace's inventory: it says so for its routes.
        #expect(first.inventory.routesPassedValidation && second.inventory.routesPassedValidation)
    }

    @Test("no Secret is copied into the index")
    func secretsStayOut() throws {
        _ = freshRead()
        let index = WorkspaceIndex.load(indexPath)
        #expect(!index.entries.isEmpty)
        #expect(index.entries.allSatisfy { !$0.path.contains("secret-") }, "\(index.entries.map(\.path))")
    }

    @Test("a corrupt, truncated, emptied or foreign index is ignored, the views stay right, and it is written anew",
        arguments: ["flip", "truncate", "empty", "garbage", "folder"])
    func corruptIndex(damage: String) throws {
        let expected = freshRead().inventory
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: indexPath)))
        switch damage {
        case "flip": bytes[bytes.count / 2] ^= 0x5A
        case "truncate": bytes.removeLast(bytes.count / 3)
        case "empty": bytes = []
        case "garbage": bytes = Array("apiVersion: v1\nkind: Namespace\n".utf8)
        default: bytes = []
        }
        if damage == "folder" {
            try FileManager.default.removeItem(atPath: indexPath)
            try FileManager.default.createDirectory(atPath: indexPath, withIntermediateDirectories: false)
        } else {
            try Data(bytes).write(to: URL(fileURLWithPath: indexPath))
        }
        let damaged = freshRead()
        #expect(damaged.inventory == expected)
        #expect(damaged.parsed == manifestCount)
        if damage != "folder" {
            #expect(freshRead().parsed == expected.secrets.count, "the index was not written again")
        }
    }

    @Test("files changed, replaced, added and removed behind the index are seen")
    func changedBehind() throws {
        _ = freshRead()
        let route = "\(root)/demo/ingress-demo.yaml"
        let service = "\(root)/demo/service-web.yaml"
        // Same size, same modification time: only the status change time tells.
        let text = try String(contentsOfFile: route, encoding: .utf8)
        var info = stat()
        #expect(stat(route, &info) == 0)
        let changed = text.replacingOccurrences(of: "demo.kubesphere.io", with: "kemo.kubesphere.io")
        #expect(changed != text && changed.utf8.count == text.utf8.count)
        let handle = try #require(FileHandle(forWritingAtPath: route))
        try handle.write(contentsOf: Data(changed.utf8))
        try handle.close()
        var times = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, route, &times, 0) == 0)
        var after = stat()
        #expect(stat(route, &after) == 0)
        #expect(after.st_ino == info.st_ino && after.st_size == info.st_size && after.st_mtim.tv_nsec == info.st_mtim.tv_nsec)
        // Replaced by another file, and a new route added by hand.
        let copy = try String(contentsOfFile: service, encoding: .utf8)
        #expect(unlink(service) == 0)
        try Data(copy.replacingOccurrences(of: "web", with: "web2").utf8).write(to: URL(fileURLWithPath: "\(root)/demo/service-web2.yaml"))
        let read = freshRead().inventory
        #expect(read.routes(project: "demo").first { $0.name == "demo" }?.rules.first?.host == "kemo.kubesphere.io")
        #expect(read.services.contains { $0.name == "web2" })
        #expect(!read.services.contains { $0.name == "web" && $0.namespace == "demo" })
    }

    @Test("a first read that finds a file changed behind the index writes the index again")
    func staleIndexIsWrittenAgain() throws {
        let secrets = freshRead().inventory.secrets.count
        let route = "\(root)/demo/ingress-demo.yaml"
        let text = try String(contentsOfFile: route, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "demo.kubesphere.io", with: "demo2.kubesphere.io").utf8)
            .write(to: URL(fileURLWithPath: route))
        #expect(freshRead().parsed == secrets + 1)
        // That read wrote the index again: the next one takes the changed file from it.
        #expect(freshRead().parsed == secrets)
        // So does a read after a file is removed, and after one is added.
        #expect(unlink(route) == 0)
        _ = freshRead()
        let index = WorkspaceIndex.load(indexPath)
        #expect(index.entry(at: "demo/ingress-demo.yaml") == nil)
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(root)/demo/ingress-again.yaml"))
        #expect(freshRead().parsed == secrets + 1)
        #expect(WorkspaceIndex.load(indexPath).entry(at: "demo/ingress-again.yaml") != nil)
    }

    @Test("an index entry whose stamp matches is trusted; a racy one is checked by its bytes")
    func racyEntries() throws {
        let path = "\(root)/demo/ingress-demo.yaml"
        let scan = WorkspaceFileScan.scan(root: root)
        let stamp = try #require(scan.files.first { $0.path == path }?.stamp)
        // An entry that says another host, under the file's very stamp.
        let other = try #require(ManifestParser.trees(
            try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "demo.kubesphere.io", with: "other.example.com")))
        var encoded: [UInt8] = []
        TreeCoding.encode(other, to: &encoded)
        let entry = { (racy: Bool) in
            WorkspaceIndex.Entry(stamp: stamp, contentHash: 1, racy: racy, trees: encoded[...])
        }
        let now = stamp.latest + WorkspaceIndex.racyWindow * 2
        func host(racy: Bool) -> String? {
            let file = ParsedFile.resolve(path: path, source: "demo/ingress-demo.yaml", stamp: stamp, prior: .index(entry(racy)), now: now)
            guard case .route(let route)? = file.objects.first else { return nil }
            return route.rules.first?.host
        }
        #expect(host(racy: false) == "other.example.com")
        #expect(host(racy: true) == "demo.kubesphere.io")
    }

    @Test("objects the index records as valid are validated again under other settings")
    func validationFollowsSettings() throws {
        _ = freshRead()
        let entries = WorkspaceIndex.load(indexPath).entries
        #expect(entries.contains { $0.entry.validatedUnder != nil }, "the index records what validated")
        // shop's gateway has node ports 31080 and 31443: outside this range.
        let settings = WorkspaceSettings(nodePortRange: 30000...30999)
        try Data(ManifestRenderer.yaml([.settings(settings)]).utf8).write(
            to: URL(fileURLWithPath: "\(root)/\(WorkspaceLayout.settingsFile)"))
        let read = freshRead()
        #expect(read.parsed < manifestCount, "the other files came from the index")
        #expect(read.inventory.problems.contains { $0.source.contains("router-shop") }, "\(read.inventory.problems)")
        try FileManager.default.removeItem(atPath: indexPath)
        let full = WorkspaceReader(layout: WorkspaceLayout(root: root), writesIndex: false).read()
        #expect(read.inventory == full.inventory)
    }

    @Test("a read-only store writes no index")
    func readOnly() throws {
        try? FileManager.default.removeItem(atPath: indexPath)
        _ = WorkspaceStore(root: root, readOnly: true).reader.read()
        #expect(!FileManager.default.fileExists(atPath: indexPath))
    }

    @Test("the route coding reads back what it wrote, the stored manifest included, and nothing from any cut of it")
    func routeCoding() throws {
        var routes = [try #require(DemoWorkspace.objects(settings: WorkspaceSettings()).compactMap { object -> Route? in
            guard case .route(let route) = object else { return nil }
            return route
        }.first)]
        var other = routes[0]
        other.metadata.name = "other"
        other.metadata.labels = ["b": "2", "a": "1"]
        other.metadata.resourceVersion = nil
        other.defaultBackend = RouteBackend(service: "web", portName: "http")
        other.rules.append(RouteRule(host: "", paths: [RoutePath(path: "/x", pathType: nil, backend: RouteBackend(service: "s", port: 8080))]))
        other.tls = [RouteTLS(hosts: ["a.example.com", "b.example.com"], secretName: nil)]
        other.stored = StoredManifest(.map([ManifestField("status", .map([ManifestField("n", .int(-3)), ManifestField("ok", .bool(true))]))]))
        routes.append(other)
        var encoded: [UInt8] = []
        RouteCoding.encode(routes, to: &encoded)
        let decoded = try #require(RouteCoding.decode(encoded[...]))
        #expect(decoded == routes)
        // Routes compare equal whatever they stored: compare what they stored as well.
        #expect(decoded.map(\.stored.value) == routes.map(\.stored.value))
        for cut in 0..<encoded.count {
            #expect(RouteCoding.decode(encoded[..<cut]) == nil)
        }
    }

    @Test("a file of routes is indexed as its routes, which another build of kgate does not take")
    func routesOfAnotherBuild() throws {
        let first = freshRead()
        let entry = try #require(WorkspaceIndex.load(indexPath).entry(at: "demo/ingress-demo.yaml"))
        guard case .routes = entry.content else {
            Issue.record("a routes-only file is indexed as trees")
            return
        }
        // The same index, as another build wrote it: its header names another build.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: indexPath)))
        let magic = Array("kgate-index 4\n".utf8).count
        let builtBy = magic + 16
        bytes[builtBy] ^= 0xFF
        let checksum = ContentHash.of(bytes[(magic + 8)...]).littleEndian
        withUnsafeBytes(of: checksum) { for (offset, byte) in $0.enumerated() { bytes[magic + offset] = byte } }
        let foreign = try #require(WorkspaceIndex.parse(bytes[...]))
        #expect(foreign.entry(at: "demo/ingress-demo.yaml") == nil)
        #expect(foreign.entry(at: "demo/service-web.yaml") != nil, "trees are any build's")
        try Data(bytes).write(to: URL(fileURLWithPath: indexPath))
        let routeFiles = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.contains("ingress-") }.count
        let second = freshRead()
        #expect(second.parsed == first.inventory.secrets.count + routeFiles)
        #expect(second.inventory == first.inventory)
    }

    @Test("the tree coding reads back what it wrote, and nothing from any cut of it")
    func treeCoding() throws {
        let text = ManifestRenderer.yaml(Array(DemoWorkspace.objects(settings: WorkspaceSettings()).prefix(6)))
        let trees = try #require(ManifestParser.trees(text))
        var encoded: [UInt8] = []
        TreeCoding.encode(trees, to: &encoded)
        #expect(TreeCoding.decode(encoded[...]) == trees)
        for cut in stride(from: 0, to: encoded.count, by: 7) {
            #expect(TreeCoding.decode(encoded[..<cut]) == nil)
        }
    }
}
