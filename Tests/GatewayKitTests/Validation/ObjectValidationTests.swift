import GatewayKit
import Testing

@Suite("Object validation")
struct ObjectValidationTests {
    @Test(arguments: ValidationSamples.objects)
    func samplesAreValid(_ object: KubeObject) {
        #expect(Validate.object(object, settings: WorkspaceSettings()) == [])
    }

    @Test(arguments: [
        ("Demo", "metadata.name"), ("", "metadata.name"), (repeated("p", 64), "metadata.name"), ("demo.v1", "metadata.name"),
    ])
    func projects(_ name: String, _ path: String) {
        #expect(paths(Validate.object(.project(Project(name: name)), settings: WorkspaceSettings())) == [path])
    }

    @Test func projectAliasLimit() {
        let ok = Project(name: "demo", alias: repeated("名", 63))
        #expect(Validate.object(.project(ok), settings: WorkspaceSettings()) == [])
        let long = Project(name: "demo", alias: repeated("名", 64))
        #expect(paths(Validate.object(.project(long), settings: WorkspaceSettings())) == ["metadata.annotations[kubesphere.io/alias-name]"])
    }

    @Test(arguments: [
        Breakage<BackendService>("name", "metadata.name") { $0.metadata.name = "1web" },
        Breakage<BackendService>("namespace", "metadata.namespace") { $0.metadata.namespace = "" },
        Breakage<BackendService>("type", "spec.type") { $0.type = "Nodeport" },
        Breakage<BackendService>("no ports", "spec.ports") { $0.ports = [] },
        Breakage<BackendService>("port", "spec.ports[1].port") { $0.ports[1].port = 70000 },
        Breakage<BackendService>("port name", "spec.ports[1].name") { $0.ports[1].name = "metrics--x" },
        Breakage<BackendService>("port name required", "spec.ports[1].name") { $0.ports[1].name = nil },
        Breakage<BackendService>("duplicate name", "spec.ports[1].name") { $0.ports[1].name = "http" },
        Breakage<BackendService>("duplicate port", "spec.ports[1].port") { $0.ports[1].port = 80 },
        Breakage<BackendService>("protocol", "spec.ports[0].protocol") { $0.ports[0].protocol = "HTTP" },
        Breakage<BackendService>("target", "spec.ports[0].targetPort") { $0.ports[0].targetPort = "0" },
        Breakage<BackendService>("node port", "spec.ports[0].nodePort") { $0.ports[0].nodePort = 8080 },
        Breakage<BackendService>("node port on ClusterIP", "spec.ports[0].nodePort") { $0.type = "ClusterIP" },
        Breakage<BackendService>("selector", "spec.selector[app]") { $0.selector["app"] = "web app" },
        Breakage<BackendService>("cluster IP", "spec.clusterIP") { $0.clusterIP = "10.96.0" },
        Breakage<BackendService>("external IP", "spec.externalIPs[0]") { $0.externalIPs = ["::g"] },
    ])
    func services(_ breakage: Breakage<BackendService>) {
        let errors = Validate.object(.service(breakage.applied(to: ValidationSamples.service)), settings: WorkspaceSettings())
        #expect(paths(errors) == [breakage.path], "\(errors)")
    }

    @Test func headlessServiceMayHaveNoPorts() {
        let service = BackendService(metadata: ObjectMeta(name: "db", namespace: "demo"), ports: [], clusterIP: "None")
        #expect(Validate.object(.service(service), settings: WorkspaceSettings()) == [])
    }

    @Test(arguments: [
        Breakage<Node>("name", "metadata.name") { $0.metadata.name = "Node_1" },
        Breakage<Node>("namespace", "metadata.namespace") { $0.metadata.namespace = "demo" },
        Breakage<Node>("EIP", "status.addresses[0].address") { $0.addresses[0].address = "139.198.0" },
        Breakage<Node>("internal", "status.addresses[1].address") { $0.addresses[1].address = "node1" },
        Breakage<Node>("empty", "status.addresses[2].address") { $0.addresses[2].address = "" },
        Breakage<Node>("hostname", "status.addresses[2].address") { $0.addresses[2].address = "node\n1" },
    ])
    func nodes(_ breakage: Breakage<Node>) {
        let errors = Validate.object(.node(breakage.applied(to: ValidationSamples.node)), settings: WorkspaceSettings())
        #expect(paths(errors) == [breakage.path], "\(errors)")
    }

    @Test(arguments: [
        Breakage<TLSSecret>("name", "metadata.name") { $0.metadata.name = "Demo TLS" },
        Breakage<TLSSecret>("no cert", "data[tls.crt]") { $0.certificate = "" },
        Breakage<TLSSecret>("no key", "data[tls.key]") { $0.key = "" },
        Breakage<TLSSecret>("not base64", "data[tls.key]") { $0.key = "-----BEGIN" },
    ])
    func secrets(_ breakage: Breakage<TLSSecret>) {
        let errors = Validate.object(.secret(breakage.applied(to: ValidationSamples.secret)), settings: WorkspaceSettings())
        #expect(paths(errors) == [breakage.path], "\(errors)")
        #expect(!errors.description.contains("LS0t"))
    }

    @Test(arguments: [
        Breakage<BackendEndpoints>("service", "metadata.labels[kubernetes.io/service-name]") { $0.serviceName = "1web" },
        Breakage<BackendEndpoints>("address type", "addressType") { $0.addressType = "IP" },
        Breakage<BackendEndpoints>("address", "endpoints[1].addresses[0]") { $0.addresses[1] = "10.0.0" },
        Breakage<BackendEndpoints>("v6 address", "endpoints[0].addresses[0]") { $0.addressType = "IPv6" },
        Breakage<BackendEndpoints>("port", "ports[0].port") { $0.ports[0].port = 0 },
        Breakage<BackendEndpoints>("port name", "ports[0].name") { $0.ports[0].name = "HTTP" },
        Breakage<BackendEndpoints>("protocol", "ports[0].protocol") { $0.ports[0].protocol = "tcp" },
    ])
    func endpointSlices(_ breakage: Breakage<BackendEndpoints>) {
        var slice = breakage.applied(to: ValidationSamples.endpoints)
        if breakage.label == "v6 address" { slice.addresses = ["10.0.0.1"] }
        let errors = Validate.object(.endpoints(slice), settings: WorkspaceSettings())
        #expect(paths(errors) == [breakage.path], "\(errors)")
    }

    @Test(arguments: ["192.168.0.91", "192.168.0.91-192.168.0.100", "192.168.0.0/28"])
    func addressPoolsAccept(_ address: String) {
        var pool = ValidationSamples.pool
        pool.address = address
        #expect(Validate.object(.addressPool(pool), settings: WorkspaceSettings()) == [])
    }

    @Test(arguments: [
        Breakage<AddressPool>("address", "spec.address") { $0.address = "192.168.0.100-192.168.0.91" },
        Breakage<AddressPool>("cidr", "spec.address") { $0.address = "192.168.0.1/28" },
        Breakage<AddressPool>("v6", "spec.address") { $0.address = "2001:db8::/64" },
        Breakage<AddressPool>("protocol", "spec.protocol") { $0.protocol = "ospf" },
        Breakage<AddressPool>("interface", "spec.interface") { $0.interface = "eth 0" },
        Breakage<AddressPool>("name", "metadata.name") { $0.metadata.name = "Pool" },
    ])
    func addressPoolsRefuse(_ breakage: Breakage<AddressPool>) {
        let errors = Validate.object(.addressPool(breakage.applied(to: ValidationSamples.pool)), settings: WorkspaceSettings())
        #expect(paths(errors) == [breakage.path], "\(errors)")
    }

    @Test func settings() {
        let ok = WorkspaceSettings(nodePortRange: 1...65535, autoDomainBase: "sslip.io", gatewayNamespace: "gateways")
        #expect(Validate.object(.settings(ok), settings: ok) == [])
        let bad = WorkspaceSettings(nodePortRange: 0...70000, autoDomainBase: "1.2.3.4", gatewayNamespace: "Gateways")
        #expect(paths(Validate.object(.settings(bad), settings: WorkspaceSettings())) == [
            "data[nodePortRange]", "data[autoDomainBase]", "data[gatewayNamespace]",
        ])
    }

    @Test func serviceNodePortsFollowTheSettingsRange() {
        let settings = WorkspaceSettings(nodePortRange: 20000...22000)
        #expect(reasons(Validate.object(.service(ValidationSamples.service), settings: settings), at: "spec.ports[0].nodePort")
            == ["not in the valid range 20000-22000"])
    }
}
