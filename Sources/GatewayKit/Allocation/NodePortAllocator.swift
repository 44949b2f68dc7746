/// Hands out node ports the way Kubernetes does: from a range (default 30000–32767),
/// unique across every Service and gateway it knows, explicit requests honoured or refused
/// with the reason.
///
/// Dynamic picks prefer the upper band (KEP-3668, Kubernetes 1.29+): the lowest
/// `min(max(16, size/32), 128)` ports of the range are left for explicit requests, and a
/// dynamic pick only falls back to them when the upper band is full.
///
///     var allocator = NodePortAllocator(range: 30000...32767)
///     try allocator.claim(30798, owner: "Service kubesphere-controls-system/kubesphere-router-demo")
///     let port = try allocator.allocate(owner: "…")   // some free port in 30086...32767
public struct NodePortAllocator: Sendable {
    public let range: ClosedRange<Int>
    private var owners: [Int: String]

    public init(range: ClosedRange<Int> = 30000...32767, allocated: [Int: String] = [:]) {
        self.range = range
        self.owners = allocated
    }

    /// The size of the band at the bottom of the range kept for explicit requests.
    public var staticBandSize: Int { min(max(16, range.count / 32), 128) }

    /// Who holds `port`, if anyone.
    public func owner(of port: Int) -> String? { owners[port] }

    /// Takes an explicitly requested port for `owner` (a port it already holds is fine).
    public mutating func claim(_ port: Int, owner: String) throws(NodePortError) {
        guard range.contains(port) else {
            throw .outOfRange(port: port, range: range)
        }
        if let holder = owners[port], holder != owner {
            throw .taken(port: port, owner: holder)
        }
        owners[port] = owner
    }

    /// Picks a free port for `owner`, from the upper band first.
    public mutating func allocate(owner: String) throws(NodePortError) -> Int {
        var generator = SystemRandomNumberGenerator()
        return try allocate(owner: owner, using: &generator)
    }

    /// As `allocate(owner:)`, with the caller's random numbers (tests pass a seeded one).
    public mutating func allocate(owner: String, using generator: inout some RandomNumberGenerator) throws(NodePortError)
        -> Int
    {
        let split = range.lowerBound + min(staticBandSize, range.count)
        let upper = split...range.upperBound
        let lower = range.lowerBound...(split - 1)
        for band in [upper, lower] where !band.isEmpty {
            if let port = freePort(in: band, using: &generator) {
                owners[port] = owner
                return port
            }
        }
        throw .rangeFull(range: range)
    }

    /// A random start, then the next free port from there, wrapping: like Kubernetes'
    /// bitmap allocator, a full scan only when the band is nearly full.
    private func freePort(in band: ClosedRange<Int>, using generator: inout some RandomNumberGenerator) -> Int? {
        let start = Int.random(in: 0..<band.count, using: &generator)
        for step in 0..<band.count {
            let port = band.lowerBound + (start + step) % band.count
            if owners[port] == nil { return port }
        }
        return nil
    }
}

/// Why a node port cannot be had.
public enum NodePortError: Error, Hashable, Sendable, CustomStringConvertible {
    case outOfRange(port: Int, range: ClosedRange<Int>)
    case taken(port: Int, owner: String)
    case rangeFull(range: ClosedRange<Int>)

    public var description: String {
        switch self {
        case .outOfRange(let port, let range):
            "provided port \(port) is not in the valid range \(range.lowerBound)-\(range.upperBound)"
        case .taken(let port, let owner):
            "provided port \(port) is already allocated by \(owner)"
        case .rangeFull(let range):
            "range is full: no free node port in \(range.lowerBound)-\(range.upperBound)"
        }
    }
}

extension NodePortAllocator {
    /// An allocator that knows every node port held in `inventory`, except those of
    /// `excluding` (the gateway being changed may keep or give up its own).
    public init(inventory: Inventory, excludingGatewayOf project: String? = nil) {
        var held: [Int: String] = [:]
        let excluded = project.map { Gateway.name(project: $0) }
        for service in inventory.services {
            if service.namespace == inventory.settings.gatewayNamespace, service.name == excluded { continue }
            for port in service.ports {
                if let nodePort = port.nodePort { held[nodePort] = "Service \(service.namespace)/\(service.name)" }
            }
        }
        for gateway in inventory.gateways where gateway.project != project {
            for port in gateway.ports {
                if let nodePort = port.nodePort {
                    held[nodePort] = "Service \(gateway.namespace)/\(gateway.name)"
                }
            }
        }
        self.init(range: inventory.settings.nodePortRange, allocated: held)
    }
}
