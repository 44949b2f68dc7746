import Testing

@testable import Console

@Suite struct HomeFolderTests {
    @Test(arguments: [
        ("workspace /home/op/.local/share/kgate/workspace", "/home/op", "workspace ~/.local/share/kgate/workspace"),
        ("workspace /home/op/.local/share/kgate/workspace", "/home/op/", "workspace ~/.local/share/kgate/workspace"),
        ("workspace /home/opal/ws", "/home/op", "workspace /home/opal/ws"),
        ("workspace /home/op", "/home/op", "workspace ~"),
        ("cluster kind-demo (https://127.0.0.1:6443)", "/home/op", "cluster kind-demo (https://127.0.0.1:6443)"),
        ("workspace /srv/ws", "/", "workspace /srv/ws"),
    ])
    func pathsUnderHomeAreWrittenWithATilde(_ location: String, _ home: String, _ expected: String) {
        #expect(HomeFolder.abbreviated(location, home: home) == expected)
    }

    @Test func noHomeChangesNothing() {
        #expect(HomeFolder.abbreviated("workspace /home/op/ws", home: nil) == "workspace /home/op/ws")
    }
}
