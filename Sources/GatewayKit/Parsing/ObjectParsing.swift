/// Reads each kind kgate stores from its manifest tree, field by field, checking
/// structure and types only (validation is `Validate`'s, called by the store).
/// The gateway kinds are in `GatewayParsing.swift`, Ingress in `IngressParsing.swift`.
enum ObjectParsing {
    static func metadata(_ root: ValueReader) -> ObjectMeta {
        let meta = root["metadata"]
        if !meta.isPresent { meta.refuse("Required value") }
        return ObjectMeta(
            name: meta["name"].requiredString(), namespace: meta["namespace"].string() ?? "",
            labels: meta["labels"].stringMap(), annotations: meta["annotations"].stringMap(),
            resourceVersion: meta["resourceVersion"].string(),
            creationTimestamp: meta["creationTimestamp"].string())
    }

    static func namespace(_ root: ValueReader) -> KubeObject {
        .project(Project(metadata: metadata(root)))
    }

    static func node(_ root: ValueReader) -> KubeObject {
        let addresses = root["status"]["addresses"].list().map { item in
            NodeAddress(item["type"].requiredOneOf(NodeAddress.Kind.self) ?? .internalIP, item["address"].requiredString())
        }
        return .node(Node(metadata: metadata(root), addresses: addresses))
    }

    static func servicePort(_ item: ValueReader) -> ServicePort {
        ServicePort(
            name: item["name"].string(), port: item["port"].requiredInt(),
            targetPort: item["targetPort"].intOrString(), protocol: item["protocol"].string() ?? "TCP",
            nodePort: item["nodePort"].int())
    }

    static func loadBalancerIngress(_ loadBalancer: ValueReader) -> [LoadBalancerIngress] {
        loadBalancer["ingress"].list().map { LoadBalancerIngress(ip: $0["ip"].string(), hostname: $0["hostname"].string()) }
    }

    static func service(_ root: ValueReader) -> KubeObject {
        let spec = root["spec"]
        var service = BackendService(
            metadata: metadata(root), type: spec["type"].string() ?? "ClusterIP",
            ports: spec["ports"].list().map(servicePort), selector: spec["selector"].stringMap(),
            clusterIP: spec["clusterIP"].string(), externalIPs: spec["externalIPs"].strings(),
            loadBalancerIngress: loadBalancerIngress(root["status"]["loadBalancer"]))
        service.stored = StoredManifest(unmodeledOf: root.value, kind: "Service")
        return .service(service)
    }

    /// The `kubernetes.io/service-name` label becomes `serviceName`, and leaves the labels.
    static func endpointSlice(_ root: ValueReader) -> KubeObject {
        var meta = metadata(root)
        let label = ManifestKind.endpointSliceServiceLabel
        let serviceName = meta.labels.removeValue(forKey: label)
        if serviceName == nil { root.errors.add(FieldPath("metadata.labels").key(label), "Required value") }
        let addresses = root["endpoints"].list().flatMap { $0["addresses"].strings() }
        let notReady = root["endpoints"].list().filter { $0["conditions"]["ready"].bool() == false }.flatMap { $0["addresses"].strings() }
        let ports = root["ports"].list().map { item in
            EndpointPort(name: item["name"].string(), port: item["port"].requiredInt(), protocol: item["protocol"].string() ?? "TCP")
        }
        return .endpoints(BackendEndpoints(
            metadata: meta, serviceName: serviceName ?? "", addressType: root["addressType"].requiredString(),
            addresses: addresses, ports: ports, notReadyAddresses: notReady))
    }

    /// Only `kubernetes.io/tls` Secrets: kgate keeps no other key material.
    static func secret(_ root: ValueReader) -> KubeObject? {
        let type = root["type"]
        let tls = ManifestKind.tlsSecretType
        guard let text = type.string() else {
            if !type.isPresent { type.refuse("Required value: kgate stores only Secrets of type \"\(tls)\"") }
            return nil
        }
        guard text == tls else {
            type.refuse(unsupported(text, supported: [tls]) + " (kgate stores only TLS Secrets)")
            return nil
        }
        let data = root["data"]
        return .secret(TLSSecret(
            metadata: metadata(root), certificate: data.field("tls.crt").requiredString(),
            key: data.field("tls.key").requiredString()))
    }

    static func eip(_ root: ValueReader) -> KubeObject {
        let spec = root["spec"]
        return .addressPool(AddressPool(
            metadata: metadata(root), address: spec["address"].requiredString(),
            protocol: spec["protocol"].string() ?? "layer2", interface: spec["interface"].string(),
            disabled: spec["disable"].bool() ?? false))
    }
}
