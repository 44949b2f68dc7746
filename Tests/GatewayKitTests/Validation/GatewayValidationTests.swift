import GatewayKit
import Testing

@Suite("Gateway validation")
struct GatewayValidationTests {
    @Test func sampleIsValid() {
        #expect(Validate.gateway(ValidationSamples.gateway, nodePortRange: ValidationSamples.range) == [])
        var unassigned = ValidationSamples.gateway
        unassigned.ports = GatewayPort.defaults
        unassigned.type = .loadBalancer
        #expect(Validate.gateway(unassigned, nodePortRange: ValidationSamples.range) == [])
    }

    @Test(arguments: [
        Breakage<Gateway>("project", "spec.controller.scope.namespace") { $0.project = "Demo" },
        Breakage<Gateway>("project missing", "spec.controller.scope.namespace") { $0.project = "" },
        Breakage<Gateway>("project too long for the Service name", "metadata.name") { $0.project = repeated("p", 46) },
        Breakage<Gateway>("namespace", "metadata.namespace") { $0.namespace = "kubesphere_controls" },
        Breakage<Gateway>("annotation key", "spec.service.annotations[a b]") { $0.annotations["a b"] = "x" },
        Breakage<Gateway>("annotation value", "spec.service.annotations[x.io/y]") { $0.annotations["x.io/y"] = "1\r\n2" },
        Breakage<Gateway>("replicas 0", "spec.deployment.replicas") { $0.replicas = 0 },
        Breakage<Gateway>("replicas 101", "spec.deployment.replicas") { $0.replicas = 101 },
        Breakage<Gateway>("config key", "spec.controller.config[a/b]") { $0.config["a/b"] = "1" },
        Breakage<Gateway>("config value", "spec.controller.config[proxy-body-size]") { $0.config["proxy-body-size"] = "8m;\nx" },
        Breakage<Gateway>("config snippet", "spec.controller.config[http-snippet]") { $0.config["http-snippet"] = "x" },
        Breakage<Gateway>("http node port", "spec.ports[0].nodePort") { $0.ports[0].nodePort = 80 },
        Breakage<Gateway>("https node port", "spec.ports[1].nodePort") { $0.ports[1].nodePort = 32768 },
        Breakage<Gateway>("same node ports", "spec.ports[1].nodePort") { $0.ports[1].nodePort = 30798 },
        Breakage<Gateway>("http port", "spec.ports[0].port") { $0.ports[0].port = 8080 },
        Breakage<Gateway>("port name", "spec.ports[2].name") { $0.ports.append(GatewayPort(name: "tcp", port: 22)) },
        Breakage<Gateway>("https missing", "spec.ports") { $0.ports.removeLast() },
        Breakage<Gateway>("external IP", "spec.externalIPs[0]") { $0.externalIPs = ["1.2.3"] },
        Breakage<Gateway>("LB IP", "status.loadBalancer.ingress[0].ip") { $0.loadBalancerIngress = [LoadBalancerIngress(ip: "x")] },
        Breakage<Gateway>("LB hostname", "status.loadBalancer.ingress[0].hostname") {
            $0.loadBalancerIngress = [LoadBalancerIngress(hostname: "1.2.3.4")]
        },
        Breakage<Gateway>("version", "metadata.resourceVersion") { $0.resourceVersion = "7\n" },
    ])
    func refusesOneField(_ breakage: Breakage<Gateway>) {
        let errors = Validate.gateway(breakage.applied(to: ValidationSamples.gateway), nodePortRange: ValidationSamples.range)
        #expect(paths(errors) == [breakage.path], "\(errors)")
    }

    @Test func nodePortWording() {
        var gateway = ValidationSamples.gateway
        gateway.ports[0].nodePort = 29999
        gateway.ports[1].nodePort = 29999
        #expect(Validate.gateway(gateway, nodePortRange: ValidationSamples.range) == [
            FieldError("spec.ports[0].nodePort", "not in the valid range 30000-32767"),
            FieldError("spec.ports[1].nodePort", "not in the valid range 30000-32767"),
            FieldError("spec.ports[1].nodePort", "29999 is already used by the http port"),
        ])
        #expect(reasons(Validate.gateway(ValidationSamples.gateway, nodePortRange: 20000...22000), at: "spec.ports[0].nodePort")
            == ["not in the valid range 20000-22000"])
    }

    @Test func longestProjectFits() {
        var gateway = ValidationSamples.gateway
        gateway.project = repeated("p", 45)
        #expect(Validate.gateway(gateway, nodePortRange: ValidationSamples.range) == [])
    }

    @Test(arguments: GatewayType.allCases)
    func typeReadsExactly(_ type: GatewayType) {
        #expect(Validate.gatewayType(type.rawValue) == .success(type))
    }

    @Test(arguments: ["nodeport", "NODEPORT", "ClusterIP", "", " NodePort", "LoadBalancer\n", "Loadbalancer"])
    func typeRefuses(_ text: String) {
        guard case .failure(let error) = Validate.gatewayType(text) else {
            Issue.record("\(text) accepted")
            return
        }
        #expect(error.field == "spec.service.type")
        #expect(error.reason.hasSuffix(#": supported values are "NodePort", "LoadBalancer""#))
        #expect(!error.reason.contains("\n"))
    }

    @Test func legacyRouterDeployment() {
        let settings = WorkspaceSettings()
        #expect(Validate.object(.routerDeployment(RouterDeployment(project: "demo")), settings: settings) == [])
        let errors = Validate.object(.routerDeployment(RouterDeployment(project: "demo", replicas: 0)), settings: settings)
        #expect(paths(errors) == ["spec.replicas"])
        let project = Validate.object(.routerDeployment(RouterDeployment(project: "de mo")), settings: settings)
        #expect(paths(project) == ["metadata.labels[project]"])
    }
}
