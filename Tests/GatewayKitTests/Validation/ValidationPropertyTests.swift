import GatewayKit
import Testing

/// Random valid objects validate clean; hostile strings put into any field are refused at
/// that field's path (or, in free text, accepted unless they hold control characters);
/// nothing crashes and no reason carries a line break.
@Suite("Validation properties")
struct ValidationPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 0x5EED, 0xDEAD_BEEF]
    static let range = 30000...32767

    @Test(arguments: seeds)
    func randomValidObjectsValidateClean(_ seed: UInt64) {
        var random = ValidationRandom(seed: seed)
        for _ in 0..<200 {
            let route = random.route()
            #expect(Validate.route(route) == [], "seed \(seed): \(route)")
            let gateway = random.gateway(range: Self.range)
            #expect(Validate.gateway(gateway, nodePortRange: Self.range) == [], "seed \(seed): \(gateway)")
            let service = random.service(range: Self.range)
            #expect(Validate.object(.service(service), settings: WorkspaceSettings()) == [], "seed \(seed): \(service)")
        }
    }

    @Test(arguments: seeds)
    func hostileStringsAreRefusedAtTheirField(_ seed: UInt64) {
        var random = ValidationRandom(seed: seed)
        for _ in 0..<100 {
            check(random.route(), Targets.route, Validate.route, &random)
            check(random.gateway(range: Self.range), Targets.gateway, { Validate.gateway($0, nodePortRange: Self.range) }, &random)
            check(random.service(range: Self.range), Targets.service, {
                Validate.object(.service($0), settings: WorkspaceSettings())
            }, &random)
        }
    }

    /// Every hostile string into one random target of `object`.
    private func check<Object>(
        _ object: Object, _ targets: [Target<Object>], _ validate: (Object) -> [FieldError], _ random: inout ValidationRandom
    ) {
        let target = random.pick(targets)
        for hostile in Hostile.strings {
            var broken = object
            let path = target.inject(&broken, hostile)
            let errors = validate(broken)
            let description = "\(target.name) ← \(hostile.debugDescription): \(errors)"
            // The field itself, or a parent that now misses something (`spec.ports`: no https).
            #expect(errors.isEmpty || errors.contains { $0.field == path }, "\(description)")
            for error in errors {
                #expect(path.isWithin(error.field), "\(description)")
                #expect(!error.description.contains("\n") && !error.description.contains("\r"), "\(description)")
                #expect(!error.description.unicodeScalars.contains("\u{1B}"), "\(description)")
            }
            let refused = !target.isFreeText || Hostile.breaksFreeText(hostile)
            #expect(errors.isEmpty == !refused, "\(description)")
        }
    }

    @Test(arguments: seeds)
    func randomTextNeverCrashesTheRules(_ seed: UInt64) {
        var random = ValidationRandom(seed: seed)
        for _ in 0..<2000 {
            let text = random.chance(0.5) ? random.anyText(maxLength: 40) : random.string("0123456789abcdef.:-/%*", count: random.int(0...40))
            _ = Validate.dns1123Label(text) + Validate.dns1123Subdomain(text) + Validate.dns1035Label(text)
            _ = Validate.qualifiedName(text) + Validate.labelValue(text) + Validate.configKey(text) + Validate.portName(text)
            _ = Validate.portNumberOrName(text) + Validate.singleLine(text) + Validate.routeName(text)
            for type in PathType.allCases { _ = Validate.pathReasons(text, pathType: type) }
            for reason in Validate.ingressHost(text) + Validate.ipAddress(text) + Validate.portProtocol(text) {
                #expect(!reason.contains("\n") && !reason.unicodeScalars.contains("\u{1B}"))
            }
            if let v4 = IPv4(text) { #expect(v4.description == text) }
            if let v6 = IPv6(text) { #expect(IPv6(v6.description) == v6) }
            if let range = IPv4Range(text) { #expect(range.first <= range.last && range.count >= 1) }
            _ = Validate.gatewayType(text)
        }
    }

    @Test(arguments: seeds)
    func randomIPv4RoundTrips(_ seed: UInt64) {
        var random = ValidationRandom(seed: seed)
        for _ in 0..<1000 {
            let address = IPv4(random.next() >> 32 == 0 ? 0 : UInt32(truncatingIfNeeded: random.next()))
            #expect(IPv4(address.description) == address)
            #expect(Validate.ingressHost(address.description) == [Validate.notAnIPAddressReason])
            let groups = (0..<8).map { _ in UInt16(truncatingIfNeeded: random.next()) & (random.chance(0.5) ? 0 : 0xFFFF) }
            let text = groups.map { String($0, radix: 16) }.joined(separator: ":")
            let v6 = IPv6(text)
            #expect(v6?.groups == groups)
            #expect(v6.flatMap { IPv6($0.description) } == v6)
        }
    }
}
