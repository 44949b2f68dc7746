/// Services (a route's backends, the gateway's own) and EndpointSlices.
extension Validate {
    public static let supportedServiceTypes = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]

    /// A Service at `metadata.*`, `spec.type`, `spec.ports` (at least one, unless headless or
    /// ExternalName), `spec.ports[i].name|port|targetPort|protocol|nodePort`,
    /// `spec.selector[<key>]`, `spec.clusterIP`, `spec.externalIPs[i]`,
    /// `status.loadBalancer.ingress[i].ip|hostname`.
    static func serviceErrors(_ service: BackendService, nodePortRange: ClosedRange<Int>) -> [FieldError] {
        var errors = objectMeta(service.metadata, nameRule: dns1035Label, namespaced: true)
        let spec = FieldPath("spec")
        if !supportedServiceTypes.contains(service.type) {
            errors.append(FieldError(spec.child("type"), unsupportedValue(service.type, supported: supportedServiceTypes)))
        }
        let headless = service.clusterIP == "None"
        if service.ports.isEmpty && !headless && service.type != "ExternalName" {
            errors.append(FieldError(spec.child("ports"), "must have at least one port"))
        }
        var names: [String: Int] = [:]
        var numbers: [String: Int] = [:]
        for (i, port) in service.ports.enumerated() {
            let field = spec.child("ports").index(i)
            if let name = port.name, !name.isEmpty {
                errors.append(portName(name), at: field.child("name"))
                if let first = names[name] {
                    errors.append(FieldError(field.child("name"), "duplicate port name \(quoted(name)): already at spec.ports[\(first)]"))
                } else {
                    names[name] = i
                }
            } else if service.ports.count > 1 {
                errors.append(FieldError(field.child("name"), "is required when a Service has more than one port"))
            }
            errors.append(portNumber(port.port), at: field.child("port"))
            errors.append(portProtocol(port.protocol), at: field.child("protocol"))
            let identity = "\(port.port)/\(port.protocol)"
            if let first = numbers[identity] {
                errors.append(FieldError(field.child("port"), "duplicate port \(identity): already at spec.ports[\(first)]"))
            } else {
                numbers[identity] = i
            }
            if let target = port.targetPort { errors.append(portNumberOrName(target), at: field.child("targetPort")) }
            if let nodePort = port.nodePort {
                if service.type != "ClusterIP" && service.type != "ExternalName" {
                    errors.append(self.nodePort(nodePort, in: nodePortRange), at: field.child("nodePort"))
                } else {
                    errors.append(FieldError(field.child("nodePort"), "may not be used when type is \(quoted(service.type))"))
                }
            }
        }
        errors += labels(service.selector, at: spec.child("selector"))
        if let clusterIP = service.clusterIP, !clusterIP.isEmpty, !headless {
            errors.append(ipAddress(clusterIP), at: spec.child("clusterIP"))
        }
        for (i, ip) in service.externalIPs.enumerated() {
            errors.append(ipAddress(ip), at: spec.child("externalIPs").index(i))
        }
        errors += loadBalancerIngress(service.loadBalancerIngress)
        var fields = strings(of: service.metadata)
        fields.add(spec.child("type"), service.type)
        for (i, port) in service.ports.enumerated() {
            if let name = port.name { fields.add(spec.child("ports").index(i).child("name"), name) }
            if let target = port.targetPort { fields.add(spec.child("ports").index(i).child("targetPort"), target) }
            fields.add(spec.child("ports").index(i).child("protocol"), port.protocol)
        }
        TextRules.check(fields, into: &errors)
        return errors
    }

    public static let supportedAddressTypes = ["IPv4", "IPv6", "FQDN"]

    /// An EndpointSlice at `metadata.*`, `metadata.labels[kubernetes.io/service-name]` (the
    /// Service's name), `addressType`, `endpoints[i].addresses[0]` (one address an
    /// endpoint), `ports[i].name|port|protocol`.
    static func endpointsErrors(_ slice: BackendEndpoints) -> [FieldError] {
        var errors = objectMeta(slice.metadata, nameRule: dns1123Subdomain, namespaced: true)
        let serviceField = FieldPath("metadata.labels").key("kubernetes.io/service-name")
        errors.append(name(slice.serviceName, rule: dns1035Label), at: serviceField)
        if !supportedAddressTypes.contains(slice.addressType) {
            errors.append(FieldError("addressType", unsupportedValue(slice.addressType, supported: supportedAddressTypes)))
        }
        for (i, address) in slice.addresses.enumerated() {
            let field = FieldPath("endpoints").index(i).child("addresses").index(0)
            switch slice.addressType {
            case "IPv4": if IPv4(address) == nil { errors.append(FieldError(field, "must be a valid IPv4 address")) }
            case "IPv6": if IPv6(address) == nil { errors.append(FieldError(field, "must be a valid IPv6 address")) }
            case "FQDN": errors.append(dnsName(address), at: field)
            default: break  // an unknown addressType is refused above; its addresses say nothing more
            }
        }
        for (i, port) in slice.ports.enumerated() {
            let field = FieldPath("ports").index(i)
            if let name = port.name, !name.isEmpty { errors.append(dns1123Label(name), at: field.child("name")) }
            errors.append(portNumber(port.port), at: field.child("port"))
            errors.append(portProtocol(port.protocol), at: field.child("protocol"))
        }
        var fields = strings(of: slice.metadata)
        fields.add(serviceField, slice.serviceName)
        fields.add("addressType", slice.addressType)
        for (i, port) in slice.ports.enumerated() {
            if let name = port.name { fields.add(FieldPath("ports").index(i).child("name"), name) }
            fields.add(FieldPath("ports").index(i).child("protocol"), port.protocol)
        }
        TextRules.check(fields, into: &errors)
        return errors
    }
}
