/// Which routes a project gateway serves, by IngressClass: those whose class
/// (`spec.ingressClassName`, else the legacy `kubernetes.io/ingress.class` annotation)
/// is the gateway's, and those with no class, as a KubeSphere project gateway does
/// (ingress-nginx's `watchIngressWithoutClass`). Every view says why a route of another
/// class has no URL, rather than showing one that would not answer.
public enum IngressClass {
    public static let legacyAnnotation = "kubernetes.io/ingress.class"
    /// The class KubeSphere's gateway chart sets: kubesphere/kubesphere
    /// `config/gateway/templates/nginx-ingress.yaml` has `ingressClass: nginx`,
    /// `ingressClassResource.enabled: false` and `watchIngressWithoutClass: true`. A
    /// workspace gateway may name another (`spec.controller.ingressClassResource.name`, a
    /// kgate setting the chart does not read).
    public static let chartDefault = "nginx"

    /// The route's class, nil when it names none.
    public static func of(_ route: Route) -> String? {
        if let name = route.ingressClassName, !name.isEmpty { return name }
        if let legacy = route.metadata.annotations[legacyAnnotation], !legacy.isEmpty { return legacy }
        return nil
    }

    public static func served(by gateway: Gateway) -> String { gateway.ingressClass ?? chartDefault }

    /// `not served by this gateway: class X`, or nil when the gateway serves the route.
    public static func notServedReason(_ route: Route, servedClass: String) -> String? {
        guard let name = of(route), name != servedClass else { return nil }
        return "not served by this gateway: class \(name)"
    }
}
