import GatewayKit

/// Random objects that every rule accepts: the valid half of the property tests.
extension ValidationRandom {
    mutating func host() -> String {
        let labels = (0..<int(1...4)).map { _ in label() }.joined(separator: ".")
        return chance(0.2) ? "*." + labels : labels
    }

    mutating func path(index: Int) -> String {
        let segments = (0..<int(0...3)).map { _ in string(Alphabet.pathSafe, count: int(1...8)) }
        return "/" + (segments + ["p\(index)"]).joined(separator: "/") + (chance(0.3) ? "/" : "")
    }

    mutating func backend() -> RouteBackend {
        chance(0.5)
            ? RouteBackend(service: label(startWithLetter: true), port: int(1...65535))
            : RouteBackend(service: label(startWithLetter: true), portName: pick(["http", "https", "web", "grpc-api", "h2c"]))
    }

    mutating func metadata(namespace: String) -> ObjectMeta {
        var meta = ObjectMeta(name: label(), namespace: namespace)
        if chance(0.5) { meta.labels["app.kubernetes.io/" + label()] = pick(["", "web", "V1.2_beta", label()]) }
        if chance(0.5) { meta.annotations[KubeSphereAnnotation.alias] = pick(["网关路由", "Shop – API \"v2\" {beta}; #1 $", "🙂"]) }
        if chance(0.5) { meta.annotations[KubeSphereAnnotation.description] = string(Alphabet.lower + " ;{}#$'\"", count: int(0...256)) }
        return meta
    }

    mutating func route() -> Route {
        var index = 0
        let rules = (0..<int(1...3)).map { _ in
            RouteRule(
                host: chance(0.1) ? "" : host(),
                paths: (0..<int(1...4)).map { _ in
                    index += 1
                    return RoutePath(path: path(index: index), pathType: pick(PathType.allCases), backend: backend())
                })
        }
        let tlsHosts = rules.map(\.host).filter { !$0.isEmpty }
        let tls = tlsHosts.isEmpty || chance(0.5) ? [] : [RouteTLS(hosts: tlsHosts, secretName: label() + ".tls")]
        return Route(
            metadata: metadata(namespace: label()), ingressClassName: chance(0.5) ? "nginx" : nil,
            defaultBackend: chance(0.2) ? backend() : nil, rules: rules, tls: tls)
    }

    mutating func gateway(range: ClosedRange<Int>) -> Gateway {
        let http = int(range)
        var https = int(range)
        if https == http { https = http == range.lowerBound ? http + 1 : http - 1 }
        var gateway = Gateway(
            project: label(maxLength: 45), type: pick(GatewayType.allCases),
            ports: [GatewayPort(name: "http", port: 80, nodePort: http), GatewayPort(name: "https", port: 443, nodePort: https)],
            replicas: int(1...100))
        if chance(0.5) { gateway.annotations["service.beta.kubernetes.io/" + label()] = pick(["", "0", "eip-1 eip-2", "{\"a\": 1}"]) }
        if chance(0.5) { gateway.config[pick(["proxy-body-size", "use-forwarded-headers", "log-format-upstream"])] = "$remote_addr - \"x\";" }
        if chance(0.3) { gateway.loadBalancerIngress = [LoadBalancerIngress(ip: IPv4(UInt32.random(in: 0...UInt32.max, using: &self)).description)] }
        return gateway
    }

    mutating func service(range: ClosedRange<Int>) -> BackendService {
        let names = ["http", "https", "metrics", "grpc"].shuffled(using: &self).prefix(int(1...4))
        let type = pick(["ClusterIP", "NodePort", "LoadBalancer"])
        let ports = names.enumerated().map { i, name in
            ServicePort(
                name: name, port: 1000 * (i + 1) + int(0...999), targetPort: chance(0.5) ? String(int(1...65535)) : name,
                protocol: pick(["TCP", "UDP"]), nodePort: type == "ClusterIP" ? nil : range.lowerBound + i)
        }
        return BackendService(
            metadata: ObjectMeta(name: label(startWithLetter: true), namespace: label()), type: type, ports: ports,
            selector: ["app": label()])
    }
}
