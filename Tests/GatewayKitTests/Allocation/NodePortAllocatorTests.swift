import TestSupport
import GatewayKit
import Testing

@Suite("Node-port allocation")
struct NodePortAllocatorTests {
    @Test("an explicit port is honoured; out of range and taken ones are refused with the reason")
    func explicitRequests() throws {
        var allocator = NodePortAllocator()
        try allocator.claim(30798, owner: "Service a/x")
        try allocator.claim(30798, owner: "Service a/x")  // its own port again is fine
        #expect(throws: NodePortError.taken(port: 30798, owner: "Service a/x")) {
            try allocator.claim(30798, owner: "Service b/y")
        }
        #expect(throws: NodePortError.outOfRange(port: 29999, range: 30000...32767)) {
            try allocator.claim(29999, owner: "Service b/y")
        }
        #expect(NodePortError.outOfRange(port: 80, range: 30000...32767).description.contains("not in the valid range 30000-32767"))
        #expect(NodePortError.taken(port: 30798, owner: "Service a/x").description.contains("already allocated by Service a/x"))
    }

    @Test("the static band: min(max(16, size/32), 128)", arguments: [
        (30000...32767, 86), (30000...30099, 16), (1...100_000, 128), (30000...30009, 16),
    ])
    func staticBand(range: ClosedRange<Int>, expected: Int) {
        #expect(NodePortAllocator(range: range).staticBandSize == expected)
    }

    @Test("dynamic picks come from the upper band until it is full, then the lower one, then range is full")
    func upperBandFirst() throws {
        var generator = SeededGenerator(seed: 7)
        var allocator = NodePortAllocator(range: 30000...30039)  // 40 ports, static band 16
        var picked: [Int] = []
        for _ in 0..<24 { picked.append(try allocator.allocate(owner: "s", using: &generator)) }
        #expect(picked.allSatisfy { (30016...30039).contains($0) })
        #expect(Set(picked).count == 24)
        for _ in 0..<16 { picked.append(try allocator.allocate(owner: "s", using: &generator)) }
        #expect(Set(picked) == Set(30000...30039))
        #expect(throws: NodePortError.rangeFull(range: 30000...30039)) {
            try allocator.allocate(owner: "s", using: &generator)
        }
        #expect(NodePortError.rangeFull(range: 30000...30039).description.hasPrefix("range is full"))
    }

    @Test("an inventory's node ports are all known, except the gateway being changed")
    func fromInventory() throws {
        let inventory = Inventory(
            services: [
                BackendService(
                    metadata: ObjectMeta(name: "web", namespace: "demo"), type: "NodePort",
                    ports: [ServicePort(port: 80, nodePort: 30001)])
            ],
            gateways: [Seed.gateway])
        var others = NodePortAllocator(inventory: inventory)
        #expect(others.owner(of: 30001) == "Service demo/web")
        #expect(others.owner(of: 30798) == "Service kubesphere-controls-system/kubesphere-router-demo")
        var mine = NodePortAllocator(inventory: inventory, excludingGatewayOf: "demo")
        #expect(mine.owner(of: 30798) == nil)
        try mine.claim(30798, owner: "me")
        #expect(throws: NodePortError.self) { try others.claim(30001, owner: "me") }
    }
}
