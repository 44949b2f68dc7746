import Foundation
import GatewayKit
import TestSupport
import Testing

@testable import GatewayRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// The runtime folder never writes through a link it did not make, never takes a folder
/// holding someone else's files, never changes a mode it did not set, and removes only
/// what its manifest lists.
struct RuntimeFolderTests {
    let secret = SecretReference(namespace: "web", name: "site-tls")

    /// A secret whose certificate and key are PEM-shaped (enough for the files to be written).
    private func inventory() -> Inventory {
        let pem = Data("-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n".utf8).base64EncodedString()
        return SampleInventory.make(certificate: pem, key: pem)
    }

    private func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    @Test func refusesASymlinkAtTheKeyPathAndLeavesItsTargetAlone() throws {
        let folder = try TemporaryFolder("kgate-runtime")
        try folder.write("victim", "precious\n")
        let layout = NginxLayout(folder: folder.file("run"))
        let files = try RuntimeFiles(layout: layout)
        try #require(symlink(folder.file("victim"), layout.key(secret)) == 0)
        #expect {
            _ = try files.writeSecrets([secret], from: inventory())
        } throws: { error in
            "\(error)".contains("refusing \(layout.key(secret)): it is a symlink")
        }
        #expect(folder.read("victim") == "precious\n")
        #expect(mode(folder.file("victim")) != 0o600)
    }

    @Test(arguments: ["logs/error.log", "logs/access.log", "nginx.pid", "serve.lock", "nginx.conf"])
    func refusesASymlinkWhereNginxOrKgateWrites(name: String) throws {
        let folder = try TemporaryFolder("kgate-runtime")
        try folder.write("victim", "precious\n")
        let layout = NginxLayout(folder: folder.file("run"))
        _ = try RuntimeFiles(layout: layout)
        unlink(folder.file("run/\(name)"))
        try #require(symlink(folder.file("victim"), folder.file("run/\(name)")) == 0)
        // Whichever step meets the link refuses it: opening the folder, the lock, the write.
        #expect(throws: NginxRefusal.self) {
            let again = try RuntimeFiles(layout: layout)
            try RuntimeLock(files: again).release()
            try again.writeConfig("events {}\n", to: "nginx.conf")
        }
        #expect(folder.read("victim") == "precious\n")
    }

    @Test func refusesASymlinkedRuntimeFolderAndItsSubfolders() throws {
        let folder = try TemporaryFolder("kgate-runtime")
        try FileManager.default.createDirectory(atPath: folder.file("elsewhere"), withIntermediateDirectories: false)
        try #require(symlink(folder.file("elsewhere"), folder.file("run")) == 0)
        #expect {
            _ = try RuntimeFiles(layout: NginxLayout(folder: folder.file("run")))
        } throws: { error in
            "\(error)".contains("refusing \(folder.file("run")): it is a symlink")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("elsewhere")).isEmpty)

        // A link where kgate's tls folder goes, in a folder kgate used before.
        let layout = NginxLayout(folder: folder.file("used"))
        _ = try RuntimeFiles(layout: layout)
        try FileManager.default.removeItem(atPath: layout.tlsFolder)
        try #require(symlink(folder.file("elsewhere"), layout.tlsFolder) == 0)
        #expect {
            _ = try RuntimeFiles(layout: layout)
        } throws: { error in
            "\(error)".contains("refusing \(layout.tlsFolder): it is a symlink")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("elsewhere")).isEmpty)
    }

    @Test func refusesAFolderHoldingFilesKgateDidNotMake() throws {
        let folder = try TemporaryFolder("kgate-runtime")
        try folder.write("mine/notes.txt", "keep me\n")
        #expect {
            _ = try RuntimeFiles(layout: NginxLayout(folder: folder.file("mine")))
        } throws: { error in
            "\(error)".contains("it holds files kgate did not make (notes.txt)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("mine")) == ["notes.txt"])
        #expect(folder.read("mine/notes.txt") == "keep me\n")
    }

    @Test func keepsTheModeOfAFolderItDidNotMake() throws {
        let folder = try TemporaryFolder("kgate-runtime")
        let given = folder.file("given")
        try FileManager.default.createDirectory(atPath: given, withIntermediateDirectories: false)
        chmod(given, 0o750)
        let files = try RuntimeFiles(layout: NginxLayout(folder: given))
        #expect(mode(given) == 0o750)
        #expect(mode(files.layout.tlsFolder) == 0o700)
        #expect(folder.read("given/\(RuntimeManifest.fileName)")?.contains("folder made by kgate") == false)

        // One that others may write to is refused, and left as it is.
        let open = folder.file("open")
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: false)
        chmod(open, 0o777)
        #expect {
            _ = try RuntimeFiles(layout: NginxLayout(folder: open))
        } throws: { error in
            "\(error)".contains("its mode is 777")
        }
        #expect(mode(open) == 0o777)
        #expect(try FileManager.default.contentsOfDirectory(atPath: open).isEmpty)
    }

    @Test func makesItsOwnFolderPrivateAndUsesItAgain() throws {
        let folder = try TemporaryFolder("kgate-runtime")
        let layout = NginxLayout(folder: folder.file("new"))
        let files = try RuntimeFiles(layout: layout)
        #expect(mode(layout.folder) == 0o700)
        _ = try files.writeSecrets([secret], from: inventory())
        #expect(mode(layout.key(secret)) == 0o600)
        // A second start finds only what the manifest lists.
        let again = try RuntimeFiles(layout: layout)
        again.removeKeyMaterial()
        #expect(!FileManager.default.fileExists(atPath: layout.key(secret)))
    }

    @Test func removesOnlyTheFilesItMade() throws {
        let folder = try TemporaryFolder("kgate-runtime")
        let layout = NginxLayout(folder: folder.file("run"))
        let files = try RuntimeFiles(layout: layout)
        _ = try files.writeSecrets([secret], from: inventory())
        try folder.write("run/tls/operator.pem", "not kgate's\n")
        _ = try files.writeSecrets([], from: inventory())
        #expect(!FileManager.default.fileExists(atPath: layout.key(secret)))
        files.removeKeyMaterial()
        #expect(folder.read("run/tls/operator.pem") == "not kgate's\n")
    }

    @Test func manifestListsWhatKgateMadeAndRecognisesItsLeftovers() throws {
        var manifest = RuntimeManifest(folderMadeByKgate: true, entries: ["nginx.conf", "tls", "tls/a.key"])
        #expect(RuntimeManifest(text: manifest.text) == manifest)
        #expect(RuntimeManifest(text: "nginx.conf\n") == nil)
        #expect(manifest.foreign(["nginx.conf", "tls", RuntimeManifest.fileName, ".nginx.conf.new-42", "x"]) == ["x"])
        #expect(manifest.foreign([".nginx.conf.new-x", ".other.new-1"]) == [".nginx.conf.new-x", ".other.new-1"])
        #expect(manifest.foreign(["a.key", "b.key"], in: "tls") == ["b.key"])
        manifest.folderMadeByKgate = false
        #expect(RuntimeManifest(text: manifest.text)?.folderMadeByKgate == false)
    }

    @Test(arguments: [
        (["XDG_RUNTIME_DIR": "/run/user/1000", "XDG_STATE_HOME": "/s", "HOME": "/h"], "/run/user/1000"),
        (["XDG_RUNTIME_DIR": "relative", "XDG_STATE_HOME": "/s", "HOME": "/h"], "/s"),
        (["HOME": "/h"], "/h/.local/state"),
        ([:], nil),
    ])
    func runtimeFilesLiveOutsideTheWorkspace(environment: [String: String], parent: String?) {
        #expect(RuntimeLocation.parent(environment: environment) == parent)
    }

    @Test func eachWorkspaceHasItsOwnFolder() throws {
        let a = RuntimeLocation.workspaceFolderName(realPath: "/home/op/ws")
        #expect(a == RuntimeLocation.workspaceFolderName(realPath: "/home/op/ws"))
        #expect(a.hasPrefix("ws-") && a.count == 15)
        #expect(a != RuntimeLocation.workspaceFolderName(realPath: "/srv/ws"))
        #expect(RuntimeLocation.workspaceFolderName(realPath: "/x/.hidden dir").hasPrefix("workspace-"))
        let folder = try RuntimeLocation.folder(workspace: "/home/op/ws", project: "demo", environment: ["HOME": "/home/op"])
        #expect(folder == "/home/op/.local/state/kgate/\(a)/demo")
    }

    @Test func makesTheFoldersAboveItPrivate() throws {
        let home = try TemporaryFolder("kgate-home")
        let folder = try RuntimeLocation.folder(workspace: "/w/ws", project: nil, environment: ["XDG_STATE_HOME": home.file("state")])
        try RuntimeLocation.prepare(folder: folder)
        #expect(mode(home.file("state/kgate")) == 0o700)
        #expect(mode((folder as NSString).deletingLastPathComponent) == 0o700)
        // A kgate folder someone opened up is refused rather than used.
        chmod(home.file("state/kgate"), 0o755)
        #expect(throws: NginxRefusal.self) { try RuntimeLocation.prepare(folder: folder) }
    }
}
