import GatewayKit
import Testing

/// Random projects of valid Ingresses (wildcard hosts, named ports, TLS, default
/// backends, hostile alias text): every conversion is accepted by the API's rules and
/// does not depend on the order the routes come in.
@Suite("Gateway API conversion, random projects")
struct ConversionPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 0x5EED, 0xDEAD_BEEF]

    @Test(arguments: seeds)
    func randomProjectsConvertToValidObjects(_ seed: UInt64) {
        var random = ValidationRandom(seed: seed)
        for _ in 0..<20 {
            var routes: [String: Route] = [:]
            for _ in 0..<random.int(1...6) {
                var route = random.route()
                route.metadata.namespace = "demo"
                routes[route.name] = route
            }
            let services = (0..<3).map { _ in
                var service = random.service(range: 30000...32767)
                service.metadata.namespace = "demo"
                return service
            }
            let ordered = routes.values.sorted { $0.name < $1.name }
            let set = ConversionSamples.convert(ordered, services: services)
            #expect(GatewayAPIValidator.errors(set) == [], "seed \(seed)")
            let reversed = ConversionSamples.convert(ordered.reversed(), services: services)
            #expect(GatewayAPIRenderer.yaml(reversed) == GatewayAPIRenderer.yaml(set), "seed \(seed)")
        }
    }
}
