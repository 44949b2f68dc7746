import GatewayKit

/// What the API server's Service storage does around validation, written from the API
/// reference (Service v1: "defaults to TCP", "defaults to the value of 'port'", "None",
/// "Cluster") and `pkg/registry/core/service/storage` (`patchAllocatedValues`,
/// `dropTypeDependentFields`, the ClusterIP and NodePort allocators). It shares nothing
/// with GatewayKit's `NodePortAllocator`.
struct TestServiceRegistry {
    /// The node port range (`--service-node-port-range`).
    var nodePortRange: ClosedRange<Int>
    /// Node ports other Services hold.
    var heldNodePorts: Set<Int>
    /// Cluster IPs other Services hold.
    var heldClusterIPs: Set<String>

    /// The service CIDR KubeKey installs KubeSphere with, 10.233.0.0/18.
    static let serviceNetwork = (prefix: "10.233", blocks: 0..<64)

    /// On create (`previous` nil) or update: the Service as stored, or the refusal.
    func prepare(
        _ service: ManifestValue, previous: ManifestValue?, using generator: inout some RandomNumberGenerator
    ) -> Result<ManifestValue, TestFieldErrors> {
        var value = service
        if let previous { value = Self.keepingAllocated(value, previous: previous) }
        value = Self.defaulted(value)
        var errors = TestValidation.service(value)
        if let previous, let before = previous["spec"]?["clusterIP"]?.text, let after = value["spec"]?["clusterIP"]?.text,
            before != after, before != "None" || after != "None"
        {
            errors.append(.invalid("spec.clusterIPs[0]", .string(after), "may not change once set"))
        }
        guard errors.isEmpty else { return .failure(TestFieldErrors(errors: errors)) }
        switch allocateClusterIP(value, using: &generator) {
        case .success(let allocated): value = allocated
        case .failure(let error): return .failure(TestFieldErrors(errors: [error]))
        }
        return allocateNodePorts(value, using: &generator)
    }

    /// The defaults the API server applies when it decodes a Service.
    static func defaulted(_ service: ManifestValue) -> ManifestValue {
        var value = service
        let type = value["spec"]?["type"]?.text ?? "ClusterIP"
        value.set(["spec", "type"], .string(type))
        if value["spec"]?["sessionAffinity"] == nil { value.set(["spec", "sessionAffinity"], .string("None")) }
        if type == "NodePort" || type == "LoadBalancer", value["spec"]?["externalTrafficPolicy"] == nil {
            value.set(["spec", "externalTrafficPolicy"], .string("Cluster"))
        }
        if type == "LoadBalancer", value["spec"]?["allocateLoadBalancerNodePorts"] == nil {
            value.set(["spec", "allocateLoadBalancerNodePorts"], .bool(true))
        }
        if type != "ExternalName" {
            if value["spec"]?["internalTrafficPolicy"] == nil { value.set(["spec", "internalTrafficPolicy"], .string("Cluster")) }
            if value["spec"]?["ipFamilies"] == nil { value.set(["spec", "ipFamilies"], .list([.string("IPv4")])) }
            if value["spec"]?["ipFamilyPolicy"] == nil { value.set(["spec", "ipFamilyPolicy"], .string("SingleStack")) }
        }
        if case .list(var ports)? = value["spec"]?["ports"] {
            for index in ports.indices {
                if ports[index]["protocol"] == nil { ports[index].set("protocol", .string("TCP")) }
                let target = ports[index]["targetPort"]
                if target == nil || target == .int(0) || target == .string(""), let port = ports[index]["port"] {
                    ports[index].set("targetPort", port)
                }
            }
            value.set(["spec", "ports"], .list(ports))
        }
        return value
    }

    /// `patchAllocatedValues` and `dropTypeDependentFields`: an update that leaves the
    /// cluster IP or a node port out keeps the one allocated (node ports matched by port
    /// name); a change of type away from NodePort/LoadBalancer drops the node ports and
    /// traffic policy the client merely carried over.
    static func keepingAllocated(_ service: ManifestValue, previous: ManifestValue) -> ManifestValue {
        var value = service
        let oldType = previous["spec"]?["type"]?.text ?? "ClusterIP"
        let newType = value["spec"]?["type"]?.text ?? "ClusterIP"
        if oldType != "ExternalName", newType != "ExternalName" {
            for key in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] where value["spec"]?[key] == nil || value["spec"]?[key] == .string("") {
                if let kept = previous["spec"]?[key] { value.set(["spec", key], kept) }
            }
        }
        let needsNodePorts: (String) -> Bool = { $0 == "NodePort" || $0 == "LoadBalancer" }
        guard case .list(var ports)? = value["spec"]?["ports"] else { return value }
        let old = TestCluster.nodePortsByName(previous)
        if needsNodePorts(oldType), needsNodePorts(newType) {
            let used = Set(ports.compactMap { port -> Int? in if case .int(let number)? = port["nodePort"], number != 0 { number } else { nil } })
            for index in ports.indices where ports[index]["nodePort"] == nil || ports[index]["nodePort"] == .int(0) {
                if let kept = old[ports[index]["name"]?.text ?? ""], !used.contains(kept) { ports[index].set("nodePort", .int(kept)) }
            }
        } else if needsNodePorts(oldType), !needsNodePorts(newType) {
            for index in ports.indices {
                if case .int(let number)? = ports[index]["nodePort"], old[ports[index]["name"]?.text ?? ""] == number {
                    ports[index] = ports[index].removing("nodePort")
                }
            }
            if value["spec"]?["externalTrafficPolicy"] == previous["spec"]?["externalTrafficPolicy"] {
                value = value.removing(path: ["spec", "externalTrafficPolicy"])
            }
            value = value.removing(path: ["spec", "allocateLoadBalancerNodePorts"])
        }
        if oldType == "LoadBalancer", newType != "LoadBalancer",
            value["spec"]?["allocateLoadBalancerNodePorts"] == previous["spec"]?["allocateLoadBalancerNodePorts"]
        {
            value = value.removing(path: ["spec", "allocateLoadBalancerNodePorts"])
        }
        value.set(["spec", "ports"], .list(ports))
        return value
    }

    private func allocateClusterIP(_ service: ManifestValue, using generator: inout some RandomNumberGenerator) -> Result<ManifestValue, TestFieldError> {
        guard service["spec"]?["type"]?.text != "ExternalName" else { return .success(service) }
        var value = service
        if let wanted = service["spec"]?["clusterIP"]?.text, !wanted.isEmpty {
            if wanted != "None", heldClusterIPs.contains(wanted) {
                return .failure(.invalid(
                    "spec.clusterIPs", .string(wanted), "failed to allocate IP \(wanted): provided IP is already allocated"))
            }
            if value["spec"]?["clusterIPs"] == nil { value.set(["spec", "clusterIPs"], .list([.string(wanted)])) }
            return .success(value)
        }
        let size = Self.serviceNetwork.blocks.count * 256
        let start = Int.random(in: 1..<size, using: &generator)
        for offset in 0..<size {
            let index = (start + offset) % size
            guard index % 256 != 0, index != size - 1 else { continue }
            let address = "\(Self.serviceNetwork.prefix).\(index / 256).\(index % 256)"
            guard !heldClusterIPs.contains(address) else { continue }
            value.set(["spec", "clusterIP"], .string(address))
            value.set(["spec", "clusterIPs"], .list([.string(address)]))
            return .success(value)
        }
        return .failure(.invalid("spec.clusterIPs", .list([]), "failed to allocate a serviceIP: range is full"))
    }

    /// The node port allocator: a port asked for must be in the range and free; the rest
    /// are picked at random among the free ones (a random start, then the next free one,
    /// as the bitmap allocator does).
    private func allocateNodePorts(_ service: ManifestValue, using generator: inout some RandomNumberGenerator) -> Result<ManifestValue, TestFieldErrors> {
        let type = service["spec"]?["type"]?.text ?? "ClusterIP"
        guard type == "NodePort" || type == "LoadBalancer", case .list(var ports)? = service["spec"]?["ports"] else {
            return .success(service)
        }
        if type == "LoadBalancer", service["spec"]?["allocateLoadBalancerNodePorts"] == .bool(false) { return .success(service) }
        var taken = heldNodePorts
        var errors: [TestFieldError] = []
        for index in ports.indices {
            guard case .int(let wanted)? = ports[index]["nodePort"], wanted != 0 else { continue }
            let field = "spec.ports[\(index)].nodePort"
            if !nodePortRange.contains(wanted) {
                errors.append(.invalid(
                    field, .int(wanted),
                    "provided port is not in the valid range. The range of valid ports is \(nodePortRange.lowerBound)-\(nodePortRange.upperBound)"))
            } else if taken.contains(wanted) {
                errors.append(.invalid(field, .int(wanted), "provided port is already allocated"))
            } else {
                taken.insert(wanted)
            }
        }
        guard errors.isEmpty else { return .failure(TestFieldErrors(errors: errors)) }
        for index in ports.indices where ports[index]["nodePort"] == nil || ports[index]["nodePort"] == .int(0) {
            let size = nodePortRange.count
            let start = Int.random(in: 0..<size, using: &generator)
            guard let free = (0..<size).lazy.map({ self.nodePortRange.lowerBound + (start + $0) % size }).first(where: { !taken.contains($0) }) else {
                return .failure(TestFieldErrors(errors: [.invalid("spec.ports[\(index)].nodePort", .int(0), "range is full")]))
            }
            taken.insert(free)
            ports[index].set("nodePort", .int(free))
        }
        var value = service
        value.set(["spec", "ports"], .list(ports))
        return .success(value)
    }
}

extension ManifestValue {
    /// This map without `key`.
    func removing(_ key: String) -> ManifestValue {
        guard case .map(let fields) = self else { return self }
        return .map(fields.filter { $0.key != key })
    }

    /// This tree without the value at `path` (a map's key at the end of the path).
    func removing(path: [String]) -> ManifestValue {
        guard let first = path.first, case .map(var fields) = self else { return self }
        if path.count == 1 { return removing(first) }
        guard let index = fields.firstIndex(where: { $0.key == first }) else { return self }
        fields[index].value = fields[index].value.removing(path: Array(path.dropFirst()))
        return .map(fields)
    }
}
