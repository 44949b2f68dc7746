import GatewayKit

/// The routes of a file as the parser made them, in a compact binary form for the workspace
/// index: a new process takes an unchanged file's routes from it without building its
/// manifest trees and parsing them again, which is most of a warm first frame's work at
/// 100,000 routes. Only a build that wrote them reads them (`WorkspaceIndex.builtBy`): the
/// parser of another build could make other routes of the same bytes.
///
/// Decoding checks every length against the bytes left, so a corrupt or truncated entry
/// gives nil (the file is then parsed), never a trap.
enum RouteCoding {
    static func encode(_ routes: [Route], to out: inout [UInt8]) {
        TreeCoding.appendVarint(UInt64(routes.count), to: &out)
        for route in routes { encode(route, to: &out) }
    }

    private static func encode(_ route: Route, to out: inout [UInt8]) {
        let meta = route.metadata
        TreeCoding.appendString(meta.name, to: &out)
        TreeCoding.appendString(meta.namespace, to: &out)
        appendMap(meta.labels, to: &out)
        appendMap(meta.annotations, to: &out)
        appendOptional(meta.resourceVersion, to: &out)
        appendOptional(meta.creationTimestamp, to: &out)
        appendOptional(route.ingressClassName, to: &out)
        if let backend = route.defaultBackend {
            out.append(1)
            appendBackend(backend, to: &out)
        } else {
            out.append(0)
        }
        TreeCoding.appendVarint(UInt64(route.rules.count), to: &out)
        for rule in route.rules {
            TreeCoding.appendString(rule.host, to: &out)
            TreeCoding.appendVarint(UInt64(rule.paths.count), to: &out)
            for path in rule.paths {
                TreeCoding.appendString(path.path, to: &out)
                let type: UInt8 =
                    switch path.pathType {
                    case nil: 0
                    case .exact: 1
                    case .prefix: 2
                    case .implementationSpecific: 3
                    }
                out.append(type)
                appendBackend(path.backend, to: &out)
            }
        }
        TreeCoding.appendVarint(UInt64(route.tls.count), to: &out)
        for tls in route.tls {
            TreeCoding.appendVarint(UInt64(tls.hosts.count), to: &out)
            for host in tls.hosts { TreeCoding.appendString(host, to: &out) }
            appendOptional(tls.secretName, to: &out)
        }
        if let stored = route.stored.value {
            out.append(1)
            TreeCoding.encode(stored, to: &out)
        } else {
            out.append(0)
        }
    }

    private static func appendBackend(_ backend: RouteBackend, to out: inout [UInt8]) {
        TreeCoding.appendString(backend.service, to: &out)
        if let number = backend.portNumber {
            out.append(1)
            withUnsafeBytes(of: UInt64(bitPattern: Int64(number)).littleEndian) { out.append(contentsOf: $0) }
        } else {
            out.append(0)
        }
        appendOptional(backend.portName, to: &out)
    }

    private static func appendOptional(_ text: String?, to out: inout [UInt8]) {
        guard let text else { return out.append(0) }
        out.append(1)
        TreeCoding.appendString(text, to: &out)
    }

    /// A map's entries sorted by key, so that the same map always gives the same bytes.
    private static func appendMap(_ map: [String: String], to out: inout [UInt8]) {
        TreeCoding.appendVarint(UInt64(map.count), to: &out)
        for (key, value) in map.sorted(by: { $0.key < $1.key }) {
            TreeCoding.appendString(key, to: &out)
            TreeCoding.appendString(value, to: &out)
        }
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> [Route]? {
        var cursor = TreeCoding.ByteCursor(bytes: bytes)
        guard let count = cursor.count() else { return nil }
        var routes: [Route] = []
        routes.reserveCapacity(count)
        for _ in 0..<count {
            guard let route = cursor.route() else { return nil }
            routes.append(route)
        }
        return cursor.atEnd ? routes : nil
    }
}

extension TreeCoding.ByteCursor {
    fileprivate mutating func route() -> Route? {
        guard let name = string(), let namespace = string(), let labels = stringMap(), let annotations = stringMap(),
            let resourceVersion = optionalString(), let creationTimestamp = optionalString(),
            let ingressClassName = optionalString(), let hasDefault = flag()
        else { return nil }
        var defaultBackend: RouteBackend? = nil
        if hasDefault {
            guard let backend = backend() else { return nil }
            defaultBackend = backend
        }
        guard let ruleCount = count() else { return nil }
        var rules: [RouteRule] = []
        rules.reserveCapacity(ruleCount)
        for _ in 0..<ruleCount {
            guard let host = string(), let pathCount = count() else { return nil }
            var paths: [RoutePath] = []
            paths.reserveCapacity(pathCount)
            for _ in 0..<pathCount {
                guard let path = string(), let type = byte(), type <= 3, let backend = backend() else { return nil }
                let pathType: PathType? = type == 0 ? nil : [PathType.exact, .prefix, .implementationSpecific][Int(type) - 1]
                paths.append(RoutePath(path: path, pathType: pathType, backend: backend))
            }
            rules.append(RouteRule(host: host, paths: paths))
        }
        guard let tlsCount = count() else { return nil }
        var tls: [RouteTLS] = []
        tls.reserveCapacity(tlsCount)
        for _ in 0..<tlsCount {
            guard let hostCount = count() else { return nil }
            var hosts: [String] = []
            hosts.reserveCapacity(hostCount)
            for _ in 0..<hostCount {
                guard let host = string() else { return nil }
                hosts.append(host)
            }
            guard let secretName = optionalString() else { return nil }
            tls.append(RouteTLS(hosts: hosts, secretName: secretName))
        }
        guard let hasStored = flag() else { return nil }
        var route = Route(
            metadata: ObjectMeta(
                name: name, namespace: namespace, labels: labels, annotations: annotations, resourceVersion: resourceVersion,
                creationTimestamp: creationTimestamp),
            ingressClassName: ingressClassName, defaultBackend: defaultBackend, rules: rules, tls: tls)
        if hasStored {
            guard let stored = value(depth: 0) else { return nil }
            route.stored = StoredManifest(stored)
        }
        return route
    }

    private mutating func flag() -> Bool? {
        switch byte() {
        case 0: false
        case 1: true
        default: nil
        }
    }

    /// nil when the bytes are wrong; `.some(nil)` for an absent string.
    private mutating func optionalString() -> String?? {
        guard let present = flag() else { return nil }
        guard present else { return .some(nil) }
        guard let text = string() else { return nil }
        return .some(text)
    }

    private mutating func stringMap() -> [String: String]? {
        guard let count = count() else { return nil }
        var map: [String: String] = [:]
        if count > 0 { map.reserveCapacity(count) }
        for _ in 0..<count {
            guard let key = string(), let value = string() else { return nil }
            map[key] = value
        }
        return map
    }

    private mutating func backend() -> RouteBackend? {
        guard let service = string(), let hasNumber = flag() else { return nil }
        var number: Int? = nil
        if hasNumber {
            guard let word = word() else { return nil }
            number = Int(Int64(bitPattern: word))
        }
        guard let portName = optionalString() else { return nil }
        return RouteBackend(service: service, portNumber: number, portName: portName)
    }
}
