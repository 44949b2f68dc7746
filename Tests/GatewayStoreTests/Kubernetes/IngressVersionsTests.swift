import GatewayKit
import Testing

@testable import GatewayStore

/// The conversions of older clusters' Ingresses and Endpoints to and from the v1 shape
/// the model reads: pure, field by field.
@Suite("Ingress versions and v1 Endpoints")
struct IngressVersionsTests {
    static func json(_ text: String) throws -> ManifestValue { try JSONReader.read(text) }

    static let legacy = """
        {"apiVersion":"extensions/v1beta1","kind":"Ingress","metadata":{"name":"web","namespace":"demo"},
         "spec":{"backend":{"serviceName":"fallback","servicePort":8080},
                 "rules":[{"host":"a.example.com","http":{"paths":[
                    {"path":"/","backend":{"serviceName":"web","servicePort":80}},
                    {"path":"/api","pathType":"Prefix","backend":{"serviceName":"api","servicePort":"http"}},
                    {"path":"/n","backend":{"serviceName":"num","servicePort":"8443"}}]}}]}}
        """

    @Test("v1beta1 → v1: serviceName/servicePort become service.name/port.number|name, backend becomes defaultBackend, no pathType is ImplementationSpecific")
    func legacyToV1() throws {
        let v1 = IngressVersions.toV1(try Self.json(Self.legacy))
        #expect(v1["apiVersion"] == .string("networking.k8s.io/v1"))
        #expect(v1["spec"]?["backend"] == nil)
        #expect(v1["spec"]?["defaultBackend"] == (try Self.json(#"{"service":{"name":"fallback","port":{"number":8080}}}"#)))
        guard case .list(let paths)? = firstPaths(v1) else {
            Issue.record("no paths")
            return
        }
        #expect(paths[0]["backend"] == (try Self.json(#"{"service":{"name":"web","port":{"number":80}}}"#)))
        #expect(paths[0]["pathType"] == .string("ImplementationSpecific"))
        #expect(paths[1]["backend"] == (try Self.json(#"{"service":{"name":"api","port":{"name":"http"}}}"#)))
        #expect(paths[1]["pathType"] == .string("Prefix"), "a pathType given is kept")
        #expect(paths[2]["backend"]?["service"]?["port"] == (try Self.json(#"{"number":8443}"#)), "an IntOrString of digits is a number")
        let resource = try Self.json(#"{"resource":{"apiGroup":"k8s.example.com","kind":"Bucket","name":"assets"}}"#)
        #expect(IngressVersions.backendToV1(resource) == resource && IngressVersions.backendFromV1(resource) == resource,
                "a resource backend passes through")
        // The model reads the converted object as any v1 Ingress.
        guard case .success(.route(let route)) = ObjectCodec.decode(v1, as: .ingresses) else {
            Issue.record("the converted Ingress does not decode")
            return
        }
        #expect(route.defaultBackend == RouteBackend(service: "fallback", portNumber: 8080))
        #expect(route.rules[0].paths[1].backend == RouteBackend(service: "api", portName: "http"))
        #expect(route.rules[0].paths[0].pathType == .implementationSpecific)
    }

    func firstPaths(_ value: ManifestValue) -> ManifestValue? {
        guard case .list(let rules)? = value["spec"]?["rules"], let first = rules.first else { return nil }
        return first["http"]?["paths"]
    }

    @Test("v1 → v1beta1 and back gives the same object, for both old groups", arguments: [IngressAPIVersion.networkingV1beta1, .extensionsV1beta1])
    func roundTrip(version: IngressAPIVersion) throws {
        let v1 = IngressVersions.toV1(try Self.json(Self.legacy))
        let old = IngressVersions.fromV1(v1, to: version)
        #expect(old["apiVersion"] == .string(version.rawValue))
        #expect(old["spec"]?["backend"] == (try Self.json(#"{"serviceName":"fallback","servicePort":8080}"#)))
        #expect(old["spec"]?["defaultBackend"] == nil)
        guard case .list(let paths)? = firstPaths(old) else {
            Issue.record("no paths")
            return
        }
        #expect(paths[1]["backend"] == (try Self.json(#"{"serviceName":"api","servicePort":"http"}"#)))
        #expect(IngressVersions.toV1(old) == v1)
        #expect(IngressVersions.fromV1(v1, to: .v1) == v1, "v1 is sent as it is")
    }

    @Test("lists convert each item; a Status passes through")
    func listsAndStatus() throws {
        let list = try Self.json(#"{"kind":"IngressList","apiVersion":"networking.k8s.io/v1beta1","metadata":{"resourceVersion":"5"},"items":[{"metadata":{"name":"a"},"spec":{"backend":{"serviceName":"s","servicePort":1}}}]}"#)
        let converted = IngressVersions.toV1(list)
        #expect(converted["apiVersion"] == .string("networking.k8s.io/v1") && converted["metadata"]?["resourceVersion"] == .string("5"))
        guard case .list(let items)? = converted["items"] else {
            Issue.record("no items")
            return
        }
        #expect(items[0]["spec"]?["defaultBackend"]?["service"]?["name"] == .string("s"))
        #expect(items[0]["apiVersion"] == nil, "list items stay without apiVersion")
        let status = try Self.json(#"{"kind":"Status","apiVersion":"v1","status":"Success"}"#)
        #expect(IngressVersions.toV1(status) == status)
    }

    @Test("Ingress paths map to the old group; other paths are left alone")
    func paths() {
        #expect(IngressVersions.path("/apis/networking.k8s.io/v1/namespaces/demo/ingresses/web", as: .extensionsV1beta1)
            == "/apis/extensions/v1beta1/namespaces/demo/ingresses/web")
        #expect(IngressVersions.path("/apis/networking.k8s.io/v1/ingresses", as: .networkingV1beta1) == "/apis/networking.k8s.io/v1beta1/ingresses")
        #expect(IngressVersions.path("/apis/networking.k8s.io/v1", as: .networkingV1beta1) == nil, "discovery")
        #expect(IngressVersions.path("/apis/networking.k8s.io/v1/ingressclasses", as: .networkingV1beta1) == nil)
        #expect(IngressVersions.path("/apis/networking.k8s.io/v1/namespaces/ingresses/networkpolicies", as: .networkingV1beta1) == nil)
        #expect(IngressVersions.path("/api/v1/namespaces/demo/services", as: .networkingV1beta1) == nil)
    }

    @Test("v1 Endpoints read as their Service's EndpointSlice: ready and not-ready addresses, the subsets' ports")
    func endpoints() throws {
        let endpoints = try Self.json("""
            {"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"web","namespace":"demo","resourceVersion":"9"},
             "subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"notReadyAddresses":[{"ip":"10.0.0.3"}],
                         "ports":[{"name":"http","port":8080,"protocol":"TCP"}]},
                        {"addresses":[{"ip":"10.0.0.4"}],"ports":[{"name":"http","port":8080,"protocol":"TCP"},{"name":"metrics","port":9090}]}]}
            """)
        let slice = IngressVersions.endpointSlice(fromEndpoints: endpoints)
        guard case .success(.endpoints(let decoded)) = ObjectCodec.decode(slice, as: .endpointSlices) else {
            Issue.record("the slice does not decode: \(slice)")
            return
        }
        #expect(decoded.serviceName == "web" && decoded.namespace == "demo")
        #expect(decoded.addresses == ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"])
        #expect(decoded.notReadyAddresses == ["10.0.0.3"])
        #expect(decoded.ports.map(\.port) == [8080, 9090])
        #expect(slice["metadata"]?["resourceVersion"] == .string("9"))
        let empty = IngressVersions.endpointSlice(fromEndpoints: try Self.json(#"{"metadata":{"name":"none","namespace":"demo"}}"#))
        guard case .success(.endpoints(let none)) = ObjectCodec.decode(empty, as: .endpointSlices) else {
            Issue.record("an Endpoints without subsets does not decode")
            return
        }
        #expect(none.addresses.isEmpty)
    }
}
