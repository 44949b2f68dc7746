import TestSupport
import Foundation
import GatewayKit
import Testing

@testable import GatewayRuntime

/// The sample's nginx.conf, byte for byte. After an intended change, run with
/// `KGATE_RECORD=1` and copy the printed file into `GoldenConfig.sample`.
@Suite struct NginxGoldenTests {
    let layout = NginxLayout(folder: "/srv/kgate-runtime")

    @Test func sampleRendersToTheGoldenConfig() throws {
        let config = try NginxConfig.render(project: "web", inventory: SampleInventory.make(), layout: layout)
        if ProcessInfo.processInfo.environment["KGATE_RECORD"] != nil {
            try config.write(toFile: "/tmp/kgate-golden-sample.conf", atomically: true, encoding: .utf8)
            print("recorded /tmp/kgate-golden-sample.conf")
        }
        #expect(config == GoldenConfig.sample)
    }

    @Test func renderingIsDeterministic() throws {
        var shuffled = SampleInventory.make()
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<5 {
            shuffled.routes.shuffle(using: &generator)
            shuffled.services.shuffle(using: &generator)
            shuffled.endpoints.shuffle(using: &generator)
            let config = try NginxConfig.render(project: "web", inventory: shuffled, layout: layout)
            #expect(config == GoldenConfig.sample)
        }
    }
}
