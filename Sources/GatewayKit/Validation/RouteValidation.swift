/// A route (an Ingress) as Kubernetes, KubeSphere and kgate's safety rules accept it.
extension Validate {
    /// The body of `Validate.route(_:)`, which documents the paths.
    static func routeErrors(_ route: Route) -> [FieldError] {
        // An Ingress name is a DNS-1123 subdomain; KubeSphere's "no '.'" (`routeName`) is a
        // rule of the route editor and `route create`, not of the object.
        var errors = objectMeta(route.metadata, nameRule: dns1123Subdomain, namespaced: true)
        let spec = FieldPath("spec")
        if let className = route.ingressClassName {
            errors.append(dns1123Subdomain(className), at: spec.child("ingressClassName"))
        }
        if let backend = route.defaultBackend {
            errors += self.backend(backend, at: spec.child("defaultBackend"))
        }
        // Kubernetes' rule. "At least one rule" is KubeSphere's form rule: the route editor
        // and `route create` ask for rules; an object with only a default backend is valid.
        if route.rules.isEmpty, route.defaultBackend == nil {
            errors.append(FieldError(spec, "either `defaultBackend` or `rules` must be specified"))
        }
        // Paths are made as closures, called only for a field in error (see `TextFields`).
        for (i, rule) in route.rules.enumerated() {
            let ruleField = { spec.child("rules").index(i) }
            if !rule.host.isEmpty {
                errors.append(ingressHost(rule.host), at: ruleField().child("host"))
            }
            // No paths is a rule without `http`, valid in Kubernetes: the host is served by
            // its Ingress's default backend (the parser refuses `http` with no paths).
            for (j, path) in rule.paths.enumerated() {
                let pathField = { ruleField().child("http").child("paths").index(j) }
                errors += httpPath(path.path, pathType: path.pathType, at: pathField())
                // A path repeated under one host is valid in Kubernetes: the gateway serves
                // the oldest claim and notes the others, as ingress-nginx does.
                errors += backend(path.backend, at: pathField().child("backend"))
            }
        }
        for (i, entry) in route.tls.enumerated() {
            let tlsField = { spec.child("tls").index(i) }
            // Kubernetes checks TLS hosts as (wildcard) DNS names only, and a secretName only
            // when given: without one, ingress-nginx serves the host its default certificate.
            for (j, host) in entry.hosts.enumerated() {
                let reasons = host.utf8.contains(UInt8(ascii: "*")) ? wildcardDNS1123Subdomain(host) : dns1123Subdomain(host)
                errors.append(reasons, at: tlsField().child("hosts").index(j))
            }
            if let secret = entry.secretName, !secret.isEmpty {
                errors.append(dns1123Subdomain(secret), at: tlsField().child("secretName"))
            }
        }
        TextRules.check(strings(of: route), into: &errors)
        return errors
    }

    /// A backend below `field` (`….backend`): the Service by DNS-1035 name, and exactly one
    /// of a port number (1–65535) or an IANA port name.
    public static func backend(_ backend: RouteBackend, at field: @autoclosure () -> FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        errors.append(name(backend.service, rule: dns1035Label), at: field().child("service").child("name"))
        switch (backend.portNumber, backend.portName) {
        case (.some, .some):
            errors.append(FieldError(field().child("service").child("port"), "cannot set both port name & port number"))
        case (.some(let number), nil):
            errors.append(portNumber(number), at: field().child("service").child("port").child("number"))
        case (nil, .some(let name)):
            errors.append(portName(name), at: field().child("service").child("port").child("name"))
        case (nil, nil):
            errors.append(FieldError(field().child("service").child("port"), "port name or number is required"))
        }
        return errors
    }

    private static func strings(of route: Route) -> TextFields {
        let spec = FieldPath("spec")
        var fields = strings(of: route.metadata)
        if let className = route.ingressClassName { fields.add(spec.child("ingressClassName"), className) }
        if let backend = route.defaultBackend { add(backend, at: spec.child("defaultBackend"), to: &fields) }
        for (i, rule) in route.rules.enumerated() {
            fields.add(spec.child("rules").index(i).child("host"), rule.host)
            for (j, path) in rule.paths.enumerated() {
                let pathField = { spec.child("rules").index(i).child("http").child("paths").index(j) }
                fields.add(pathField().child("path"), path.path)
                add(path.backend, at: pathField().child("backend"), to: &fields)
            }
        }
        for (i, entry) in route.tls.enumerated() {
            for (j, host) in entry.hosts.enumerated() { fields.add(spec.child("tls").index(i).child("hosts").index(j), host) }
            if let secret = entry.secretName { fields.add(spec.child("tls").index(i).child("secretName"), secret) }
        }
        return fields
    }

    private static func add(_ backend: RouteBackend, at field: @autoclosure () -> FieldPath, to fields: inout TextFields) {
        fields.add(field().child("service").child("name"), backend.service)
        if let name = backend.portName { fields.add(field().child("service").child("port").child("name"), name) }
    }
}
